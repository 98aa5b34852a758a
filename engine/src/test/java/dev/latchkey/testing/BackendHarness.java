package dev.latchkey.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.SecretSpec;
import dev.latchkey.engine.ssh.SshBackend;
import dev.latchkey.engine.ssh.dynamic.TargetHostException;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import dev.latchkey.engine.ssh.dynamic.transport.MinaTargetHosts;
import dev.latchkey.engine.storage.MemoryStorage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SSH engine without HTTP, in the spirit of OpenBao's {@code CreateBackendWithStorage(t)} and
 * {@code b.HandleRequest(…)}: a real {@link SshBackend} over {@link MemoryStorage}, called the way
 * the HTTP layer calls it, with a clock the test sets.
 *
 * <pre>{@code
 * try (BackendHarness ssh = BackendHarness.create()) {
 *     ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8"))
 *             .assertNoContent();
 *     String otp = (String) ssh.write("creds/web", Map.of("ip", "10.0.0.5")).data().get("key");
 *     ssh.write("creds/web", Map.of("ip", "192.168.0.1")).assertError(400, "…");
 * }
 * }</pre>
 *
 * <p>Fields are what the HTTP layer's JSON parser gives an engine, so Vault's weak typing can be
 * tested here: {@link #writeJson} parses JSON text the same way, and {@link #write} takes Java
 * values and turns each into what its JSON text would parse to (an {@code int} stays an Integer, a
 * {@code long} that fits an int becomes one, a {@code double} becomes a BigDecimal).
 */
public final class BackendHarness implements AutoCloseable {
    /** A root token as Vault's initialisation makes it, as an engine sees it: display name {@code root}. */
    public static final Caller ROOT = new Caller("root", "accessor-of-root", Map.of());
    /** A mount at {@code ssh/} with Vault's default lease TTLs (768 h each). */
    public static final MountInfo MOUNT =
            new MountInfo("ssh/", "mount-uuid-1", "ssh_0a1b2c3d", 768 * 3600L, 768 * 3600L);
    /** The settings of the HTTP layer's body parser: exact decimals, nothing after the object. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Dynamic roles need hosts to log in to; without a transport each attempt fails at the connect step. */
    private static final TargetHosts NO_TRANSPORT = login -> {
        throw new TargetHostException(login.address(), TargetHostException.Step.CONNECT,
                "this BackendHarness has no SSH transport (BackendHarness.withRealSsh() has one)");
    };

    private final MemoryStorage storage = new MemoryStorage();
    private final AtomicLong clockMillis = new AtomicLong(Instant.now().toEpochMilli());
    private final MinaTargetHosts transport;
    private final SshBackend backend;
    private Caller caller = ROOT;
    private MountInfo mount = MOUNT;
    private String clientAddress = "127.0.0.1";

    private BackendHarness(TargetHosts targetHosts, MinaTargetHosts transport) {
        this.transport = transport;
        this.backend = new SshBackend(storage, clockMillis::get, targetHosts);
    }

    /** An engine whose dynamic roles cannot reach any host; nothing to close. */
    public static BackendHarness create() {
        return new BackendHarness(NO_TRANSPORT, null);
    }

    /** An engine with the real SSH transport of the server (Apache MINA SSHD), closed by {@link #close}. */
    public static BackendHarness withRealSsh() {
        MinaTargetHosts hosts = new MinaTargetHosts();
        return new BackendHarness(hosts, hosts);
    }

    // ---- requests ------------------------------------------------------------------------------

    /** {@code POST/PUT <mount>/path}. */
    public Reply write(String path, Map<String, ?> fields) {
        return handle(Operation.UPDATE, path, fields);
    }

    /** {@code POST/PUT <mount>/path} with a JSON body, parsed as the HTTP layer parses it. */
    public Reply writeJson(String path, String json) {
        return handle(Operation.UPDATE, path, parseJson(json));
    }

    /** {@code GET <mount>/path}. */
    public Reply read(String path) {
        return handle(Operation.READ, path, Map.of());
    }

    /** {@code LIST <mount>/path}: the HTTP layer adds the trailing slash a list path always has. */
    public Reply list(String path) {
        return handle(Operation.LIST, path.endsWith("/") ? path : path + "/", Map.of());
    }

    /** {@code DELETE <mount>/path}. */
    public Reply delete(String path) {
        return handle(Operation.DELETE, path, Map.of());
    }

    /** Any operation on a path relative to the mount, as the current caller, from the current address. */
    public Reply handle(Operation operation, String path, Map<String, ?> fields) {
        Map<String, Object> raw = new LinkedHashMap<>();
        fields.forEach((name, value) -> raw.put(name, jsonValue(value)));
        Request request = new Request(operation, path, raw, "", caller, clientAddress, mount);
        try {
            return new Reply(operation + " " + path, backend.handle(request).await(), null);
        } catch (EngineException e) {
            return new Reply(operation + " " + path, null, e);
        }
    }

    /** A field map that, unlike {@code Map.of}, takes null values: {@code fields("ttl", null, "port", 22)}. */
    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    // ---- who asks, through which mount, when -----------------------------------------------------

    /** Later requests come with this caller's token facts (identity templates, key IDs); {@link #ROOT} at first. */
    public BackendHarness as(Caller caller) {
        this.caller = caller;
        return this;
    }

    /** Later requests arrive through this mount (its path, accessor and lease TTLs); {@link #MOUNT} at first. */
    public BackendHarness through(MountInfo mount) {
        this.mount = mount;
        return this;
    }

    /** Later requests come from this client address; 127.0.0.1 at first. */
    public BackendHarness from(String clientAddress) {
        this.clientAddress = clientAddress;
        return this;
    }

    /** The engine's clock: the real time when the harness was made, until a test moves it. */
    public Instant now() {
        return Instant.ofEpochMilli(clockMillis.get());
    }

    public BackendHarness setClock(Instant instant) {
        clockMillis.set(instant.toEpochMilli());
        return this;
    }

    public BackendHarness advanceClock(Duration duration) {
        clockMillis.addAndGet(duration.toMillis());
        return this;
    }

    /**
     * Hands a leased secret back to the engine, as the lease manager does when its lease is
     * revoked or expires; the engine's error, if any, is thrown.
     */
    public void revoke(SecretSpec secret) {
        backend.revoke(secret.leased());
    }

    /** What the engine stored, to look at or to tamper with. */
    public MemoryStorage storage() {
        return storage;
    }

    public SshBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /** The Java value as the HTTP layer's JSON parser would have produced it from the value's JSON text. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            // Jackson's choice: the smallest of Integer, Long and BigInteger that holds the number
            BigInteger n = new BigInteger(value.toString());
            if (n.bitLength() < Integer.SIZE) {
                return n.intValue();
            }
            return n.bitLength() < Long.SIZE ? Long.valueOf(n.longValue()) : n;
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString());
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(jsonValue(item)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, jsonValue(v)));
            return out;
        }
        throw new IllegalArgumentException("JSON has no " + value.getClass().getSimpleName() + ": " + value);
    }

    /** A JSON object body as the HTTP layer parses it; {@code null} is no fields. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseJson(String json) {
        try {
            Map<String, Object> body = JSON.readValue(json, Map.class);
            return body == null ? Map.of() : body;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}
