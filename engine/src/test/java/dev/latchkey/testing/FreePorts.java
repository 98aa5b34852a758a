package dev.latchkey.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a test to hand to a server that binds them later, in another process or thread.
 *
 * <p>Asking the kernel for port 0 returns a port from the ephemeral range, the same range it
 * takes the local port of every outgoing connection from. Between the test closing that probe
 * socket and the server binding the port, a connection made by anything on the machine (a
 * cluster member dialling its peers, the test's own HTTP client) can take it, and the server
 * then fails with "Address already in use". So ports come from below the ephemeral range, which
 * the kernel never hands out on its own, and each is checked free and never given twice.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final Set<Integer> given = new HashSet<>();

    private FreePorts() {
    }

    /** A loopback TCP port no one listens on, below the ephemeral range, not given out before. */
    public static synchronized int next() {
        int ceiling = ephemeralLow();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOWEST, ceiling);
            if (!given.contains(port) && bindable(port)) {
                given.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + ceiling);
    }

    private static boolean bindable(int port) {
        // the wildcard address too: a server bound to 0.0.0.0 there would refuse our loopback bind later
        for (InetAddress address : new InetAddress[] {InetAddress.getLoopbackAddress(), null}) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** The low end of Linux's ephemeral port range, or the IANA one's (49152) elsewhere. */
    private static int ephemeralLow() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                int low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
                return Math.max(low, LOWEST + 1_000);
            }
            return 49_152;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            return 49_152;
        }
    }
}
