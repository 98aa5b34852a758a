package dev.latchkey.engine.ssh.dynamic.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The one-byte acknowledgements of the SCP protocol: 0 is "go on", 1 and 2 carry an error line. */
final class ScpAck {
    private static final int MAX_MESSAGE = 1024;

    private ScpAck() {
    }

    /** The host refused a file or could not start scp at all. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static void expect(InputStream in, String what, BoundedOutput stderr) throws IOException, Refused {
        int b = in.read();
        if (b == 0) {
            return;
        }
        if (b == -1) {
            throw new Refused("scp on the host ended before accepting " + what
                    + " (is scp installed on the host?)" + stderr.suffix());
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n' && line.size() < MAX_MESSAGE; c = in.read()) {
            line.write(c);
        }
        String message = line.toString(StandardCharsets.UTF_8).strip();
        throw new Refused("scp on the host refused " + what + ": " + (message.isEmpty() ? "code " + b : message));
    }
}
