package dev.latchkey.api.http.tls;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link TlsSettings} into Vert.x 5 server options, and swaps a running server's certificate
 * when the files change (Vault does this on SIGHUP).
 *
 * <p>The files are read here, into buffers, and checked by building the key manager once: a missing
 * file, a PEM that holds no certificate, a key that does not parse or an encrypted key is reported as
 * a {@link TlsException} with one line of text, before any socket is bound. Vault's wording for
 * the same failure starts {@code error loading TLS cert}, and so does Latchkey's.
 */
public final class TlsListener {
    private TlsListener() {
    }

    /**
     * Options for a listener that serves TLS: HTTP/1.1 always, HTTP/2 only when the client asks for
     * it through ALPN (as Go's server does; there is no cleartext HTTP/2).
     *
     * @param base the listener's other options (host, port, timeouts); it is copied, not changed
     */
    public static HttpServerOptions serverOptions(HttpServerOptions base, TlsSettings tls) throws TlsException {
        HttpServerOptions options = new HttpServerOptions(base);
        ServerSSLOptions ssl = sslOptions(tls);
        options.setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setTrustOptions(ssl.getTrustOptions())
                .setClientAuth(ssl.getClientAuth())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
        // setEnabledSecureTransportProtocols replaces the set; nothing else may add TLS 1.0/1.1 back.
        return options;
    }

    /**
     * The SSL part alone, read fresh from the files: what {@link #serverOptions} installs and what
     * {@link #reload} swaps in.
     */
    public static ServerSSLOptions sslOptions(TlsSettings tls) throws TlsException {
        Buffer cert = read(tls.certFile(), "tls_cert_file");
        Buffer key = read(tls.keyFile(), "tls_key_file");
        if (cert.toString(StandardCharsets.US_ASCII).indexOf("-----BEGIN CERTIFICATE-----") < 0) {
            throw new TlsException("error loading TLS cert: " + tls.certFile() + " holds no PEM certificate");
        }
        String keyText = key.toString(StandardCharsets.US_ASCII);
        if (keyText.contains("ENCRYPTED")) {
            // Vault asks for a passphrase on the terminal; a service has no terminal to ask on.
            throw new TlsException("error loading TLS cert: " + tls.keyFile()
                    + " is encrypted; Latchkey needs an unencrypted key (openssl pkey -in KEY -out PLAIN)");
        }
        PemKeyCertOptions keyCert = new PemKeyCertOptions().addCertValue(cert).addKeyValue(key);
        try {
            // Building the key manager parses both PEMs and checks they are a pair of the kinds
            // Vert.x knows (PKCS#1 and PKCS#8 RSA, SEC1 and PKCS#8 EC), so a bad file fails here
            // rather than on the first handshake.
            KeyStore store = keyCert.loadKeyStore(null);
            if (store == null || store.size() == 0) {
                throw new TlsException("error loading TLS cert: no key pair in " + tls.certFile());
            }
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("error loading TLS cert: " + tls.certFile() + " with " + tls.keyFile()
                    + ": " + oneLine(e));
        }
        ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(keyCert);
        if (tls.clientCaFile() != null && !tls.disableClientCerts()) {
            Buffer ca = read(tls.clientCaFile(), "tls_client_ca_file");
            ssl.setTrustOptions(new PemTrustOptions().addCertValue(ca));
        }
        if (tls.disableClientCerts()) {
            ssl.setClientAuth(ClientAuth.NONE);
        } else if (tls.requireClientCert()) {
            ssl.setClientAuth(ClientAuth.REQUIRED);
        } else if (tls.clientCaFile() != null) {
            // Vault always asks for a client certificate (the cert auth method needs it). A request
            // without trust anchors would make the JDK refuse every certificate offered, so Latchkey
            // asks only when it can verify the answer.
            ssl.setClientAuth(ClientAuth.REQUEST);
        } else {
            ssl.setClientAuth(ClientAuth.NONE);
        }
        Set<String> protocols = new LinkedHashSet<>();
        for (TlsVersion v : TlsVersion.values()) {
            if (v.compareTo(tls.minVersion()) >= 0 && v.compareTo(tls.maxVersion()) <= 0) {
                protocols.add(v.jdkName());
            }
        }
        ssl.setEnabledSecureTransportProtocols(protocols);
        return ssl;
    }

    /**
     * Re-reads the files and installs them on a running server. Connections already open keep the
     * certificate they were made with; new ones get the new one. When the files cannot be read or
     * do not make a key pair, the server keeps serving the old certificate and the future fails with
     * a {@link TlsException} whose message says why (for the SIGHUP handler to log).
     *
     * @return succeeds with true once the new certificate is in place
     */
    public static Future<Boolean> reload(HttpServer server, TlsSettings tls) {
        ServerSSLOptions ssl;
        try {
            ssl = sslOptions(tls);
        } catch (TlsException e) {
            return Future.failedFuture(e);
        }
        // force: the file names are unchanged, so without it Vert.x would see equal options and
        // skip the swap.
        return server.updateSSLOptions(ssl, true)
                .recover(e -> Future.failedFuture(new TlsException("error reloading TLS cert: " + oneLine(e))));
    }

    private static Buffer read(Path file, String option) throws TlsException {
        try {
            return Buffer.buffer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new TlsException("error loading TLS cert: cannot read '" + option + "' " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
