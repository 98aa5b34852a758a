package dev.latchkey.api.http.tls;

import java.util.Locale;

/** The TLS versions a listener may name in {@code tls_min_version} / {@code tls_max_version}, with Vault's spellings. */
public enum TlsVersion {
    TLS10("tls10", "TLSv1"),
    TLS11("tls11", "TLSv1.1"),
    TLS12("tls12", "TLSv1.2"),
    TLS13("tls13", "TLSv1.3");

    private final String vaultName;
    private final String jdkName;

    TlsVersion(String vaultName, String jdkName) {
        this.vaultName = vaultName;
        this.jdkName = jdkName;
    }

    /** The name a Vault configuration uses, {@code tls12}. */
    public String vaultName() {
        return vaultName;
    }

    /** The protocol name the JDK's SSLEngine takes, {@code TLSv1.2}. */
    public String jdkName() {
        return jdkName;
    }

    /**
     * Reads a Vault version name. The message is Vault's, word for word, so that an operator
     * searching for it finds Vault's documentation.
     *
     * @param key the option being read, {@code tls_min_version} or {@code tls_max_version}
     * @throws IllegalArgumentException naming the allowed values
     */
    public static TlsVersion parse(String key, String value) {
        for (TlsVersion v : values()) {
            if (v.vaultName.equals(value.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("'" + key + "' value \"" + value
                + "\" not supported, please specify one of [tls10,tls11,tls12,tls13]");
    }
}
