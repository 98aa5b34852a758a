package dev.latchkey.cluster.durable.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code connection_url} made ready for the JDBC driver: Vault's (libpq's) URL form
 * {@code postgres[ql]://user:pass@host:port/db?params} becomes {@code jdbc:postgresql://host:port/db?params}
 * with the user and password taken out (percent-decoded), so the password never sits in a JDBC
 * URL that a driver might log. A {@code jdbc:postgresql:} URL passes as it is.
 *
 * @param jdbcUrl  the URL for the driver
 * @param user     null when the URL names none
 * @param password null when the URL names none
 */
record PostgresUrl(String jdbcUrl, String user, String password) {
    static PostgresUrl parse(String connectionUrl) {
        if (connectionUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(connectionUrl, null, null);
        }
        URI uri;
        try {
            uri = new URI(connectionUrl);
        } catch (URISyntaxException e) {
            // the message would quote the URL, password and all
            throw new IllegalArgumentException("connection_url is not a valid URL");
        }
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw new IllegalArgumentException("connection_url must start with postgres://, postgresql:// or jdbc:postgresql:");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("connection_url names no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() >= 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new PostgresUrl(jdbc.toString(), user, password);
    }

    /** The URL for messages: the JDBC form, which carries no password unless it was given as one. */
    String redacted() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + redacted() + "]";
    }
}
