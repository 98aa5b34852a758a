package dev.latchkey.engine.ssh.keys;

/** The certificate type field of PROTOCOL.certkeys. */
public enum SshCertificateType {
    USER(1, "user"),
    HOST(2, "host");

    private final int code;
    private final String label;

    SshCertificateType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The value on the wire: 1 for user, 2 for host. */
    public int code() {
        return code;
    }

    /** {@code user} or {@code host}, as Vault's {@code cert_type} spells it. */
    public String label() {
        return label;
    }

    static SshCertificateType byCode(long code) {
        for (SshCertificateType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new SshKeyException("unknown certificate type " + code);
    }
}
