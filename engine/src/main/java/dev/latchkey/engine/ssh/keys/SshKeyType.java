package dev.latchkey.engine.ssh.keys;

/** The public-key algorithms this engine accepts, by their SSH names. */
public enum SshKeyType {
    RSA("ssh-rsa", "rsa", null),
    DSA("ssh-dss", "dsa", null),
    ECDSA_P256("ecdsa-sha2-nistp256", "ecdsa", NistCurve.P256),
    ECDSA_P384("ecdsa-sha2-nistp384", "ecdsa", NistCurve.P384),
    ECDSA_P521("ecdsa-sha2-nistp521", "ecdsa", NistCurve.P521),
    ED25519("ssh-ed25519", "ed25519", null);

    private static final String CERT_SUFFIX = "-cert-v01@openssh.com";

    private final String sshName;
    private final String keyClass;
    private final NistCurve curve;

    SshKeyType(String sshName, String keyClass, NistCurve curve) {
        this.sshName = sshName;
        this.keyClass = keyClass;
        this.curve = curve;
    }

    /** E.g. {@code ssh-ed25519}. */
    public String sshName() {
        return sshName;
    }

    /** The class {@code allowed_user_key_lengths} names: {@code rsa}, {@code dsa}, {@code ecdsa} or {@code ed25519}. */
    public String keyClass() {
        return keyClass;
    }

    /** PROTOCOL.certkeys name of a certificate for a key of this type. */
    public String certTypeName() {
        return sshName + CERT_SUFFIX;
    }

    NistCurve curve() {
        return curve;
    }

    /** @throws SshKeyException naming the type when it is not one of ours */
    public static SshKeyType bySshName(String name) {
        for (SshKeyType t : values()) {
            if (t.sshName.equals(name)) {
                return t;
            }
        }
        throw new SshKeyException("unsupported key type: " + printable(name));
    }

    /** The subject key type of a certificate type name. */
    static SshKeyType byCertTypeName(String name) {
        if (name.endsWith(CERT_SUFFIX)) {
            for (SshKeyType t : values()) {
                if (t.certTypeName().equals(name)) {
                    return t;
                }
            }
        }
        throw new SshKeyException("unsupported certificate type: " + printable(name));
    }

    /** Type names come from untrusted blobs: keep error messages short and printable. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
