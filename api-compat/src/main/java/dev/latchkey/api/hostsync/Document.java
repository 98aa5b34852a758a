package dev.latchkey.api.hostsync;

import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.krl.KrlParser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two documents a host keeps: where each is served, the file it is kept in, and the check a
 * download must pass before it replaces that file. The checks refuse what would lock the host:
 * sshd refuses every key when its {@code RevokedKeys} file is not a KRL, and no certificate when
 * {@code TrustedUserCAKeys} lists no key.
 */
enum Document {
    CA_KEYS("issuers/public_keys", "trusted-user-ca-keys.pub") {
        @Override
        String check(byte[] body) throws InvalidException {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidException("the server's keys document is not UTF-8 text");
            }
            List<String> lines = text.lines().toList();
            int keys = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    // OpenSSH's own limit: a CA key sshd would accept is never refused here
                    SshPublicKey.parse(line, RsaKeySizes.CEILING_BITS);
                } catch (SshKeyException e) {
                    throw new InvalidException("line " + (i + 1) + " of the server's keys document is not an SSH "
                            + "public key (" + e.getMessage() + ")");
                }
                keys++;
            }
            if (keys == 0) {
                throw new InvalidException("the server's keys document lists no CA key");
            }
            return keys + (keys == 1 ? " key" : " keys");
        }
    },
    KRL("krl", "revoked-keys.krl") {
        @Override
        String check(byte[] body) throws InvalidException {
            if (body.length == 0) {
                throw new InvalidException("the server's list is empty");
            }
            try {
                return "KRL version " + Long.toUnsignedString(KrlParser.parse(body).version());
            } catch (KrlParser.InvalidKrlException e) {
                throw new InvalidException("the server's list is not a valid KRL (" + e.getMessage() + ")");
            }
        }
    };

    /** Why a download may not replace the file; the message never quotes the body. */
    static final class InvalidException extends Exception {
        InvalidException(String message) {
            super(message);
        }
    }

    private final String path;
    private final String fileName;

    Document(String path, String fileName) {
        this.path = path;
        this.fileName = fileName;
    }

    /** The path under the mount, e.g. {@code krl}. */
    String path() {
        return path;
    }

    String fileName() {
        return fileName;
    }

    /**
     * Checks a downloaded body.
     *
     * @return a short description for the operator, e.g. {@code 2 keys}
     */
    abstract String check(byte[] body) throws InvalidException;
}
