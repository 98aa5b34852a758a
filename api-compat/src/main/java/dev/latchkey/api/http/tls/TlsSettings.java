package dev.latchkey.api.http.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What one TCP listener needs to serve TLS, named after the Vault listener options it comes from.
 * It holds file names rather than file contents because Vault re-reads the certificate and key on
 * SIGHUP; {@link TlsListener#reload} does the same.
 *
 * @param certFile           {@code tls_cert_file}: PEM, the server certificate first, then any chain
 * @param keyFile            {@code tls_key_file}: PEM, RSA or ECDSA, in PKCS#1, PKCS#8 or SEC1 form
 *                           (Vault prompts for a passphrase when the key is encrypted; Latchkey refuses it)
 * @param minVersion         {@code tls_min_version}, Vault's default {@code tls12}
 * @param maxVersion         {@code tls_max_version}, Vault's default {@code tls13}
 * @param clientCaFile       {@code tls_client_ca_file}: PEM bundle client certificates are verified
 *                           against; null when none
 * @param requireClientCert  {@code tls_require_and_verify_client_cert}
 * @param disableClientCerts {@code tls_disable_client_certs}: do not even ask for a client certificate
 */
public record TlsSettings(Path certFile, Path keyFile, TlsVersion minVersion, TlsVersion maxVersion,
                          Path clientCaFile, boolean requireClientCert, boolean disableClientCerts) {
    public TlsSettings {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(maxVersion, "maxVersion");
        if (maxVersion.compareTo(minVersion) < 0) {
            throw new IllegalArgumentException("'tls_max_version' " + maxVersion.vaultName()
                    + " is below 'tls_min_version' " + minVersion.vaultName());
        }
        if (requireClientCert && disableClientCerts) {
            throw new IllegalArgumentException(
                    "'tls_disable_client_certs' and 'tls_require_and_verify_client_cert' are mutually exclusive");
        }
        if (requireClientCert && clientCaFile == null) {
            // Go falls back to the system roots here; a JVM's cacerts is not what an operator who
            // asks for client certificates means, so Latchkey wants the CA named.
            throw new IllegalArgumentException("'tls_require_and_verify_client_cert' needs 'tls_client_ca_file'");
        }
    }

    /** A listener with Vault's defaults: TLS 1.2 to 1.3, client certificates requested but optional. */
    public static TlsSettings of(Path certFile, Path keyFile) {
        return new TlsSettings(certFile, keyFile, TlsVersion.TLS12, TlsVersion.TLS13, null, false, false);
    }
}
