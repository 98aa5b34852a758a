package dev.latchkey.api.auth.jwt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP calls the JWT method makes to an identity provider (discovery, JWKS, the OIDC token
 * endpoint), with the JDK's client: bounded in time and size, and trusting either the JDK's CAs or
 * only those of the configured PEM. The one place this method talks to the network.
 */
final class HttpFetch {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BYTES = 1 << 20;

    private final HttpClient client;

    private HttpFetch(HttpClient client) {
        this.client = client;
    }

    /** A fetcher trusting the CAs in {@code caPem}, or the JDK's when it is empty. */
    static HttpFetch trusting(String caPem) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (caPem != null && !caPem.isBlank()) {
            b.sslContext(sslContext(caPem));
        }
        return new HttpFetch(b.build());
    }

    /** Whether the PEM holds at least one certificate this JDK can read. */
    static boolean readableCa(String caPem) {
        try {
            sslContext(caPem);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static SSLContext sslContext(String caPem) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the CA PEM");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The body of a GET that answered 200. */
    String get(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    /** The body of a form POST with HTTP Basic client credentials that answered 200. */
    String postForm(String url, String form, String clientId, String clientSecret) throws IOException {
        String basic = Base64.getEncoder().encodeToString((urlEncode(clientId) + ":" + urlEncode(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String send(HttpRequest request) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        if (r.body().length > MAX_BYTES) {
            throw new IOException("response over " + MAX_BYTES + " bytes");
        }
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() != 200) {
            throw new IOException("status " + r.statusCode() + ": " + body.substring(0, Math.min(body.length(), 200)));
        }
        return body;
    }
}
