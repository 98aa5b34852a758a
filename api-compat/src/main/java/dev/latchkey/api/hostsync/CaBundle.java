package dev.latchkey.api.hostsync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust of {@code --ca-cert} ({@code VAULT_CACERT}): the certificates of one PEM bundle
 * and nothing else, as the {@code vault} CLI trusts them. The keys document decides who may log in
 * to the host, so a bundle that names the server's CA is the safer setting than the JDK's many.
 */
final class CaBundle {
    private CaBundle() {
    }

    /**
     * A TLS context trusting exactly the certificates in {@code pem}.
     *
     * @throws IOException naming the file when it cannot be read or holds no certificate
     */
    static SSLContext trusting(Path pem) throws IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IOException(pem + " does not exist");
        } catch (CertificateException e) {
            throw new IOException(pem + " is not a PEM certificate bundle (" + e.getMessage() + ")");
        }
        if (certs.isEmpty()) {
            throw new IOException(pem + " holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot set up TLS trust: " + e.getMessage(), e);
        }
    }
}
