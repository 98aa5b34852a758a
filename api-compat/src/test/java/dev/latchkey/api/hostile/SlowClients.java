package dev.latchkey.api.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Many connections that each send a little and then trickle on forever (slowloris): the server
 * must close every one of them within its deadline. One thread and one selector drive them all.
 * Each connection ends as {@code "closed"} (the server closed it within {@code closeWithin} of its
 * opening, perhaps after an error answer) or {@code "open after N s"}.
 */
final class SlowClients {
    private static final long SELECT_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private SlowClients() {
    }

    /**
     * A kind of slow client.
     *
     * @param count       connections to open
     * @param opening     sent at once on each connection
     * @param drip        the {@code n}th trickle, sent every {@code dripEvery}
     * @param dripEvery   the trickle's period
     * @param closeWithin how long after its opening each connection must be closed by
     */
    record Plan(int count, String opening, IntFunction<String> drip, Duration dripEvery, Duration closeWithin) {
    }

    private static final class Conn {
        final SocketChannel channel;
        final long openedAt;
        long closedAt = -1;
        String firstBytes = "";

        Conn(SocketChannel channel, long openedAt) {
            this.channel = channel;
            this.openedAt = openedAt;
        }
    }

    static void run(int port, Plan plan, Outcomes outcomes) throws IOException {
        List<Conn> conns = new ArrayList<>();
        long deadlineNanos = plan.closeWithin().toNanos();
        try (Selector selector = Selector.open()) {
            int refused = 0;
            for (int i = 0; i < plan.count(); i++) {
                try {
                    SocketChannel ch = SocketChannel.open();
                    try {
                        ch.socket().connect(new InetSocketAddress(RawHttp.LOOPBACK, port), CONNECT_TIMEOUT_MS);
                    } catch (IOException e) {
                        ch.close();
                        throw e;
                    }
                    Conn c = new Conn(ch, System.nanoTime());
                    ch.write(ByteBuffer.wrap(plan.opening().getBytes(StandardCharsets.ISO_8859_1)));
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, c);
                    conns.add(c);
                } catch (IOException e) {
                    refused++;
                }
            }
            if (refused > 0) {
                for (int i = 0; i < refused; i++) {
                    outcomes.add(Outcomes.REFUSED, refused + " connections could not be opened");
                }
            }
            long start = conns.isEmpty() ? System.nanoTime() : conns.get(0).openedAt;
            long end = conns.isEmpty() ? start : conns.get(conns.size() - 1).openedAt + deadlineNanos;
            long nextDrip = start + plan.dripEvery().toNanos();
            int tick = 0;
            int open = conns.size();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (open > 0 && System.nanoTime() < end) {
                selector.select(SELECT_MS);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    buf.clear();
                    int n;
                    try {
                        n = c.channel.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        open -= close(c, key);
                    } else if (c.firstBytes.length() < 40) {
                        c.firstBytes += new String(buf.array(), 0, Math.min(n, 40), StandardCharsets.ISO_8859_1);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextDrip) {
                    byte[] drip = plan.drip().apply(tick++).getBytes(StandardCharsets.ISO_8859_1);
                    for (Conn c : conns) {
                        if (c.closedAt < 0) {
                            try {
                                c.channel.write(ByteBuffer.wrap(drip));
                            } catch (IOException e) {
                                open -= close(c, c.channel.keyFor(selector));
                            }
                        }
                    }
                    nextDrip += plan.dripEvery().toNanos();
                }
            }
        } finally {
            conns.forEach(c -> RawHttp.closeQuietly(c.channel));
        }
        tally(conns, plan, outcomes);
    }

    private static int close(Conn c, SelectionKey key) {
        if (c.closedAt >= 0) {
            return 0;
        }
        c.closedAt = System.nanoTime();
        if (key != null) {
            key.cancel();
        }
        RawHttp.closeQuietly(c.channel);
        return 1;
    }

    private static void tally(List<Conn> conns, Plan plan, Outcomes outcomes) {
        long limit = plan.closeWithin().toNanos();
        double first = Double.MAX_VALUE;
        double last = 0;
        String answer = "";
        int inTime = 0;
        int late = 0;
        for (Conn c : conns) {
            if (c.closedAt >= 0 && c.closedAt - c.openedAt <= limit) {
                double s = (c.closedAt - c.openedAt) / 1e9;
                first = Math.min(first, s);
                last = Math.max(last, s);
                inTime++;
                if (answer.isEmpty() && !c.firstBytes.isEmpty()) {
                    answer = ", answered \"" + c.firstBytes.lines().findFirst().orElse("") + "\"";
                }
            } else {
                late++;
            }
        }
        String open = "open after " + RawHttp.seconds(plan.closeWithin());
        for (int i = 0; i < inTime; i++) {
            outcomes.add(Outcomes.CLOSED, String.format(Locale.ROOT, "after %.1f–%.1f s%s", first, last, answer));
        }
        for (int i = 0; i < late; i++) {
            outcomes.add(open, "the server kept " + late + " of " + conns.size() + " connections open");
        }
    }
}
