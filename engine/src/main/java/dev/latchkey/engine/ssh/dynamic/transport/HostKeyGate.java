package dev.latchkey.engine.ssh.dynamic.transport;

import dev.latchkey.engine.ssh.dynamic.HostKeyRejectedException;
import dev.latchkey.engine.ssh.dynamic.HostKeyVerifier;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.security.PublicKey;

/**
 * The host-key check of one connection, called by MINA during the key exchange. Remembers whether
 * a key was seen and why it was refused, so the failure can be reported as such rather than as the
 * generic "server key did not validate".
 */
final class HostKeyGate {
    private final String address;
    private final HostKeyVerifier verifier;
    private volatile boolean sawKey;
    private volatile String rejection;

    HostKeyGate(String address, HostKeyVerifier verifier) {
        this.address = address;
        this.verifier = verifier;
    }

    boolean admit(PublicKey key) {
        sawKey = true;
        try {
            verifier.verify(address, toSsh(key));
            return true;
        } catch (HostKeyRejectedException e) {
            rejection = e.getMessage();
            return false;
        } catch (SshKeyException | IllegalArgumentException e) {
            rejection = "unreadable host key: " + e.getMessage();
            return false;
        }
    }

    boolean sawKey() {
        return sawKey;
    }

    String rejection() {
        return rejection;
    }

    /** A certified host key is judged by the key it certifies. */
    private static SshPublicKey toSsh(PublicKey key) {
        PublicKey plain = key instanceof OpenSshCertificate cert ? cert.getCertPubKey() : key;
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(plain);
        return SshPublicKey.fromWire(buffer.getCompactData());
    }
}
