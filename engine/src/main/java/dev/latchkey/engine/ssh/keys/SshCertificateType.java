package dev.latchkey.engine.ssh.keys;

import java.util.Arrays;
import java.util.Locale;

/** The certificate type field of PROTOCOL.certkeys. */
public enum SshCertificateType {
    USER(1),
    HOST(2);

    private final int code;

    SshCertificateType(int code) {
        this.code = code;
    }

    /** The value on the wire: 1 for user, 2 for host. */
    public int code() {
        return code;
    }

    /** {@code user} or {@code host}, as Vault's {@code cert_type} spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SshCertificateType byCode(long code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst()
                .orElseThrow(() -> new SshKeyException("unknown certificate type " + code));
    }
}
