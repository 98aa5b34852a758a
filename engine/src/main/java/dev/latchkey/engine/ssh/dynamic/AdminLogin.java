package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPrivateKey;

import java.time.Duration;

/**
 * How to reach a target host and log in as its admin user, for one install or uninstall.
 *
 * @param host            the target's IP address, normalised
 * @param port            its SSH port
 * @param user            the admin account to log in as
 * @param key             the registered admin key ({@code keys/<name>})
 * @param hostKeyVerifier what the host must present before anything is sent to it
 * @param connectTimeout  bound on the TCP connect, key exchange and authentication together
 * @param commandTimeout  bound on the upload and the script run together
 */
public record AdminLogin(String host, int port, String user, SshPrivateKey key, HostKeyVerifier hostKeyVerifier,
                         Duration connectTimeout, Duration commandTimeout) {

    /** {@code 192.0.2.7:22} or {@code [2001:db8::7]:22}, as OpenSSH's known_hosts writes them. */
    public String address() {
        return HostAddress.of(host, port);
    }

    @Override
    public String toString() {
        return "AdminLogin[" + user + "@" + address() + "]";
    }
}
