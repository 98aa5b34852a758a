package dev.latchkey.engine.ssh.dynamic.transport;

import dev.latchkey.engine.ssh.dynamic.AdminLogin;
import dev.latchkey.engine.ssh.dynamic.TargetHostException;
import dev.latchkey.engine.ssh.dynamic.TargetHostException.Step;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@link TargetHosts} over Apache MINA SSHD. One client (and its I/O threads) serves every
 * session; each session carries its own host-key check in its connection context. Nothing from
 * the server process's home is used: no {@code ~/.ssh/config}, no default identities, no agent.
 */
public final class MinaTargetHosts implements TargetHosts, AutoCloseable {
    static final AttributeRepository.AttributeKey<HostKeyGate> GATE = new AttributeRepository.AttributeKey<>();

    private final SshClient client;
    private final ScheduledExecutorService watchdog;

    public MinaTargetHosts() {
        requireBouncyCastle();
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier((session, remote, key) -> session.getConnectionContext().getAttribute(GATE).admit(key));
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        c.setAgentFactory(null);
        c.start();
        this.client = c;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-ssh-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * MINA registers Bouncy Castle itself when it is on the class path; Ed25519 (admin keys and host
     * keys) depends on it, since net.i2p's eddsa is deliberately absent. Fail at start, not per request.
     */
    static void requireBouncyCastle() {
        if (!SecurityUtils.isBouncyCastleRegistered() || !SecurityUtils.isEDDSACurveSupported()) {
            throw new IllegalStateException("Apache MINA SSHD did not register Bouncy Castle as its security "
                    + "provider; dynamic keys cannot use Ed25519 keys");
        }
    }

    @Override
    public Session open(AdminLogin login) {
        String address = login.address();
        HostKeyGate gate = new HostKeyGate(address, login.hostKeyVerifier());
        long deadline = System.nanoTime() + login.connectTimeout().toNanos();
        ClientSession session = connect(login, gate, deadline);
        try {
            session.addPublicKeyIdentity(identity(login));
            authenticate(login, gate, session, deadline);
            return new MinaSession(address, session, watchdog, login.commandTimeout());
        } catch (RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private ClientSession connect(AdminLogin login, HostKeyGate gate, long deadlineNanos) {
        ConnectFuture future;
        try {
            future = client.connect(login.user(), login.host(), login.port(),
                    AttributeRepository.ofKeyValuePair(GATE, gate), null);
        } catch (IOException e) {
            throw new TargetHostException(login.address(), Step.CONNECT, describe(e));
        }
        try {
            if (!future.await(remaining(deadlineNanos))) {
                future.cancel();
                throw new TargetHostException(login.address(), Step.CONNECT,
                        "no TCP connection within " + seconds(login.connectTimeout()));
            }
        } catch (IOException e) {
            throw new TargetHostException(login.address(), Step.CONNECT, describe(e));
        }
        if (future.getException() != null || !future.isConnected()) {
            Throwable cause = future.getException();
            throw new TargetHostException(login.address(), Step.CONNECT,
                    cause == null ? "connection failed" : describe(cause));
        }
        return future.getSession();
    }

    /** Key exchange (with the host-key check) and public-key authentication, within what is left of the connect timeout. */
    private static void authenticate(AdminLogin login, HostKeyGate gate, ClientSession session, long deadlineNanos) {
        String address = login.address();
        String limit = seconds(login.connectTimeout());
        AuthFuture auth;
        boolean done;
        try {
            auth = session.auth();
            done = auth.await(remaining(deadlineNanos));
        } catch (IOException e) {
            throw failure(address, gate, login, e);
        }
        if (!done) {
            auth.cancel();
            if (!gate.sawKey()) {
                throw new TargetHostException(address, Step.CONNECT, "no SSH key exchange within " + limit
                        + " (is an SSH server listening there?)");
            }
            throw new TargetHostException(address, Step.AUTHENTICATE, "no answer within " + limit);
        }
        if (!auth.isSuccess()) {
            throw failure(address, gate, login, auth.getException());
        }
    }

    /** What is left until the deadline (at least 1 ms, so a wait never means "forever"). */
    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
    }

    private static TargetHostException failure(String address, HostKeyGate gate, AdminLogin login, Throwable cause) {
        if (gate.rejection() != null) {
            return new TargetHostException(address, Step.HOST_KEY, gate.rejection());
        }
        if (!gate.sawKey()) {
            return new TargetHostException(address, Step.CONNECT, "SSH key exchange failed: "
                    + (cause == null ? "connection closed" : describe(cause)));
        }
        return new TargetHostException(address, Step.AUTHENTICATE, "the host refused the admin key for user \""
                + login.user() + "\"" + (cause == null || cause.getMessage() == null ? "" : " (" + describe(cause) + ")"));
    }

    /** The registered admin key as MINA wants it: re-encoded as an OpenSSH key and parsed by MINA. */
    private static KeyPair identity(AdminLogin login) {
        byte[] pem = login.key().toOpenSshPem().getBytes(StandardCharsets.US_ASCII);
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("admin key"),
                    new ByteArrayInputStream(pem), null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new TargetHostException(login.address(), Step.AUTHENTICATE, "the admin key could not be loaded");
            }
            return it.next();
        } catch (IOException | GeneralSecurityException e) {
            throw new TargetHostException(login.address(), Step.AUTHENTICATE,
                    "the admin key could not be loaded: " + e.getClass().getSimpleName());
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // closing on shutdown: nothing left to save
        }
    }
}
