package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.net.IpAddress;

import java.util.Optional;

/** The {@code host:port} text OpenSSH's known_hosts uses: IPv6 hosts in brackets. */
public final class HostAddress {
    private HostAddress() {
    }

    public static String of(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Reads {@code 10.0.0.5:22} or {@code [2001:db8::5]:22}; empty unless it is in normal form. */
    public static Optional<String> parseNormal(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return Optional.empty();
        }
        if (!portText.matches("[1-9][0-9]{0,4}") || Integer.parseInt(portText) > 65535) {
            return Optional.empty();
        }
        int port = Integer.parseInt(portText);
        return IpAddress.parse(host).map(ip -> of(ip.toString(), port)).filter(text::equals);
    }
}
