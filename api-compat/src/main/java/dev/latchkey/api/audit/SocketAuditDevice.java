package dev.latchkey.api.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Vault's {@code socket} audit device: each entry as one line over a TCP connection (a log
 * shipper) or a Unix socket, connected when first needed and again after a failure; a write that
 * fails is retried once on a fresh connection.
 */
final class SocketAuditDevice implements AuditDevice {
    private final String address;
    private final boolean unix;
    private final int timeoutMillis;
    private Socket tcp;
    private SocketChannel channel;

    SocketAuditDevice(String address, boolean unix, int timeoutMillis) {
        this.address = address;
        this.unix = unix;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public synchronized void write(byte[] line, int length) throws IOException {
        byte[] bytes = java.util.Arrays.copyOf(line, length); // kept whole for a retry on a fresh connection
        try {
            send(bytes);
        } catch (IOException first) {
            close();
            send(bytes);
        }
    }

    private void send(byte[] bytes) throws IOException {
        if (unix) {
            if (channel == null) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(address));
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            return;
        }
        if (tcp == null) {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw new IOException("address " + address + " has no port");
            }
            Socket s = new Socket();
            s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            tcp = s;
        }
        OutputStream out = tcp.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    @Override
    public synchronized void reopen() {
        close();
    }

    @Override
    public synchronized void close() {
        try {
            if (tcp != null) {
                tcp.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // a broken connection is dropped either way
        }
        tcp = null;
        channel = null;
    }
}
