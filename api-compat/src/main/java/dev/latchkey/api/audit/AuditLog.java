package dev.latchkey.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit devices: their table, stored once for the cluster under {@code core/audit}, and on
 * each node the open devices it describes, each with its own HMAC salt (stored under
 * {@code core/audit-salt/<uuid>}, so every node hashes a value alike). Every node writes its own
 * devices' files. A table change on any node is picked up by the others at their next use (the
 * table is read through the cache that any write clears).
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    static final String TABLE = "core/audit";
    private static final String SALT = "core/audit-salt/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One enabled device as stored. */
    public record Entry(String path, String type, String description, Map<String, String> options, boolean local,
                        String accessor, String uuid) {
        public Entry {
            options = Map.copyOf(options);
        }
    }

    /** A device in use on this node, with what it needs to render entries. */
    record Open(Entry entry, AuditDevice device, byte[] salt, Options options) {
    }

    /** The options that shape what a device writes. */
    record Options(boolean logRaw, boolean hmacAccessor, boolean elideListResponses) {
    }

    private final Storage storage;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private volatile byte[] tableRead;

    public AuditLog(Storage storage) {
        this.storage = storage;
    }

    // ---- the table

    public List<Entry> entries() {
        return storage.get(TABLE).map(AuditLog::decode).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Entry> decode(byte[] raw) {
        List<Entry> out = new ArrayList<>();
        for (Object o : (List<Object>) JsonValues.decode(raw).getOrDefault("entries", List.of())) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new Entry((String) m.get("path"), (String) m.get("type"), (String) m.getOrDefault("description", ""),
                    (Map<String, String>) m.getOrDefault("options", Map.of()), Boolean.TRUE.equals(m.get("local")),
                    (String) m.get("accessor"), (String) m.get("uuid")));
        }
        return out;
    }

    private static byte[] encode(List<Entry> entries) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("type", e.type());
            m.put("description", e.description());
            m.put("options", e.options());
            m.put("local", e.local());
            m.put("accessor", e.accessor());
            m.put("uuid", e.uuid());
            list.add(m);
        }
        return JsonValues.encode(Map.of("entries", list));
    }

    /**
     * Enables a device after opening it and, unless {@code skip_test}, writing a test entry to it,
     * as Vault does; refuses a path that equals, contains or is inside another device's.
     */
    public void enable(String path, String type, String description, Map<String, String> options, boolean local) {
        for (Entry e : entries()) {
            if (e.path().startsWith(path) || path.startsWith(e.path())) {
                throw EngineException.user("path already in use");
            }
        }
        Options shape = options(options);
        AuditDevice device = create(type, options);
        String uuid = UUID.randomUUID().toString();
        byte[] salt = HexFormat.of().formatHex(Randomness.bytes(32)).getBytes(StandardCharsets.US_ASCII);
        if (!parseBool(options, "skip_test", false)) {
            try {
                Map<String, Object> test = new LinkedHashMap<>();
                test.put("time", java.time.Instant.now().toString());
                test.put("type", "request");
                Map<String, Object> req = new LinkedHashMap<>();
                req.put("path", "sys/audit/test");
                test.put("request", req);
                byte[] json = JSON.writeValueAsBytes(test);
                byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
                line[json.length] = '\n';
                device.write(line, line.length);
            } catch (IOException e) {
                device.close();
                throw EngineException.user("audit backend failed test message: " + e.getMessage());
            }
        }
        storage.put(SALT + uuid, salt);
        Entry entry = new Entry(path, type, description, options, local,
                "audit_" + type + "_" + HexFormat.of().formatHex(Randomness.bytes(4)), uuid);
        byte[][] written = {null};
        storage.update(TABLE, current -> {
            List<Entry> all = new ArrayList<>(current == null ? List.of() : decode(current));
            for (Entry e : all) {
                if (e.path().startsWith(path) || path.startsWith(e.path())) {
                    throw EngineException.user("path already in use");
                }
            }
            all.add(entry);
            written[0] = encode(all);
            return written[0];
        });
        open.put(uuid, new Open(entry, device, salt, shape));
    }

    /** Disables the device at the path; nothing there is not an error. */
    public void disable(String path) {
        storage.update(TABLE, current -> {
            if (current == null) {
                return null;
            }
            List<Entry> all = new ArrayList<>(decode(current));
            all.removeIf(e -> e.path().equals(path));
            return encode(all);
        });
        sync();
    }

    /** The devices of the current table, opened on this node; those no longer in it closed. */
    List<Open> devices() {
        byte[] raw = storage.get(TABLE).orElse(null);
        if (changed(raw)) {
            sync();
        }
        return new ArrayList<>(open.values());
    }

    /** Whether the table differs from the one the devices were opened from (a storage may answer with a copy). */
    private boolean changed(byte[] raw) {
        byte[] read = tableRead;
        return raw != read && !java.util.Arrays.equals(raw, read);
    }

    private synchronized void sync() {
        byte[] raw = storage.get(TABLE).orElse(null);
        List<Entry> entries = raw == null ? List.of() : decode(raw);
        Set<String> live = new java.util.HashSet<>();
        for (Entry e : entries) {
            live.add(e.uuid());
            if (!open.containsKey(e.uuid())) {
                try {
                    byte[] salt = storage.get(SALT + e.uuid()).orElseThrow(() -> new IOException("its salt is missing"));
                    open.put(e.uuid(), new Open(e, create(e.type(), e.options()), salt, options(e.options())));
                } catch (IOException | RuntimeException ex) {
                    LOG.log(Level.WARNING, "audit device " + e.path() + " cannot be opened on this node: " + ex.getMessage());
                }
            }
        }
        for (String uuid : new ArrayList<>(open.keySet())) {
            if (!live.contains(uuid)) {
                Open gone = open.remove(uuid);
                gone.device().close();
                storage.delete(SALT + uuid);
            }
        }
        tableRead = raw;
    }

    /** Whether any device is enabled: only then is anything built or written. One cached read. */
    public boolean active() {
        byte[] raw = storage.get(TABLE).orElse(null);
        if (changed(raw)) {
            sync();
        }
        return !open.isEmpty();
    }

    /**
     * Writes one entry to every device, each rendering it with its own salt and options; answers
     * whether at least one device wrote it (true too when none is enabled). The entry holds raw
     * values: tokens, accessors and request and response data are hashed here, per device.
     */
    public boolean log(Map<String, Object> entry, java.util.Set<String> nonHmacRequestKeys,
                       java.util.Set<String> nonHmacResponseKeys) {
        List<Open> devices = devices();
        if (devices.isEmpty()) {
            return true;
        }
        boolean written = false;
        AuditRendering.Line line = LINES.get();
        for (Open o : devices) {
            try {
                AuditRendering.renderInto(line, entry, o.salt(), o.options(), nonHmacRequestKeys, nonHmacResponseKeys);
                o.device().write(line.bytes(), line.length());
                written = true;
            } catch (IOException | RuntimeException e) {
                LOG.warning("audit device " + o.entry().path() + " could not write an entry: " + e.getMessage());
            }
        }
        return written;
    }

    /** Reopens every file device (SIGHUP): log rotation moved the files away. */
    public void reopen() {
        for (Open o : devices()) {
            try {
                o.device().reopen();
            } catch (IOException e) {
                LOG.warning("audit device " + o.entry().path() + " could not be reopened: " + e.getMessage());
            }
        }
    }

    /** {@code sys/audit-hash}: the value as the device at the path writes it. */
    public String hash(String path, String input) {
        for (Open o : devices()) {
            if (o.entry().path().equals(path)) {
                return hmac(o.salt(), input);
            }
        }
        throw EngineException.user("unknown audit backend " + GoFormat.q(path));
    }

    /** Each request thread's line buffer, reused for every entry it renders. */
    private static final ThreadLocal<AuditRendering.Line> LINES = ThreadLocal.withInitial(AuditRendering.Line::new);

    /**
     * One HMAC-SHA256 per thread and device salt, kept: making and keying a Mac costs more than
     * using it. Keyed by the salt array itself, which a device holds for as long as it is open.
     */
    private static final ThreadLocal<Map<byte[], Mac>> MACS = ThreadLocal.withInitial(java.util.IdentityHashMap::new);
    private static final byte[] PREFIX = "hmac-sha256:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static String hmac(byte[] salt, String value) {
        return new String(hmacBytes(salt, value), StandardCharsets.US_ASCII);
    }

    /** {@code hmac-sha256:<hex>} as ASCII bytes, ready to be written into an entry without escaping. */
    static byte[] hmacBytes(byte[] salt, String value) {
        Map<byte[], Mac> macs = MACS.get();
        Mac mac = macs.get(salt);
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            if (macs.size() > 64) {
                macs.clear(); // devices come and go: keep only the live ones' for long
            }
            macs.put(salt, mac);
        }
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        byte[] out = java.util.Arrays.copyOf(PREFIX, PREFIX.length + digest.length * 2);
        int at = PREFIX.length;
        for (byte b : digest) {
            out[at++] = HEX[(b >> 4) & 0xF];
            out[at++] = HEX[b & 0xF];
        }
        return out;
    }

    // ---- devices from options

    private static Options options(Map<String, String> o) {
        String format = o.getOrDefault("format", "json");
        if (format.equals("jsonx")) {
            throw EngineException.user("the jsonx format is not supported: use json");
        }
        if (!format.equals("json")) {
            throw EngineException.user("unknown format type " + GoFormat.q(format));
        }
        return new Options(parseBool(o, "log_raw", false), parseBool(o, "hmac_accessor", true),
                parseBool(o, "elide_list_responses", false));
    }

    private static AuditDevice create(String type, Map<String, String> o) {
        try {
            switch (type) {
                case "file" -> {
                    String target = o.getOrDefault("file_path", o.getOrDefault("path", ""));
                    if (target.isEmpty()) {
                        throw EngineException.user("file_path is required");
                    }
                    return new FileAuditDevice(target, mode(o.getOrDefault("mode", "0600")), o.getOrDefault("prefix", ""));
                }
                case "socket" -> {
                    String address = o.getOrDefault("address", "");
                    if (address.isEmpty()) {
                        throw EngineException.user("address is required");
                    }
                    String kind = o.getOrDefault("socket_type", "tcp").toLowerCase(Locale.ROOT);
                    if (!kind.equals("tcp") && !kind.equals("unix")) {
                        throw EngineException.user("socket_type " + GoFormat.q(kind) + " is not supported: use tcp or unix");
                    }
                    long timeout = Durations.parseSeconds(o.getOrDefault("write_timeout", "2s"));
                    return new SocketAuditDevice(address, kind.equals("unix"), (int) Math.max(1000, timeout * 1000));
                }
                default -> throw EngineException.user("unknown backend type: " + GoFormat.q(type));
            }
        } catch (IOException e) {
            throw EngineException.user("audit backend failed test message: " + e.getMessage());
        } catch (dev.latchkey.engine.gocompat.GoParseException e) {
            throw EngineException.user("invalid write_timeout: " + e.getMessage());
        }
    }

    /** A file mode as Vault takes it: octal, {@code 0000} keeping the file's own; no execute bit. */
    static Set<PosixFilePermission> mode(String octal) {
        int bits;
        try {
            bits = Integer.parseInt(octal, 8);
        } catch (NumberFormatException e) {
            throw EngineException.user("invalid mode " + GoFormat.q(octal) + ": not an octal number");
        }
        if (bits == 0) {
            return null;
        }
        if ((bits & 0111) != 0 || bits > 0777) {
            throw EngineException.user("invalid mode " + GoFormat.q(octal) + ": audit files may not be executable");
        }
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    /** Go's {@code strconv.ParseBool}, as Vault reads boolean options. */
    static boolean parseBool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        if (Arrays.asList("1", "t", "T", "TRUE", "true", "True").contains(v)) {
            return true;
        }
        if (Arrays.asList("0", "f", "F", "FALSE", "false", "False").contains(v)) {
            return false;
        }
        throw EngineException.user("invalid " + key + ": strconv.ParseBool: parsing " + GoFormat.q(v) + ": invalid syntax");
    }
}
