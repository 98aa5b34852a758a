package dev.latchkey.api.mount;

import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The secret and auth mounts (those at {@code auth/<path>/}): stored once for the cluster under {@code core/mounts}. The parsed table is
 * kept for as long as storage hands back the same stored bytes (its read cache drops them when any
 * node changes the table), so every request sees the current table without parsing it. Built-in
 * mounts ({@code sys/}, {@code auth/token/}) are added by the caller and never stored. The lease
 * manager finds each lease's engine and current TTLs here.
 */
public final class MountTable implements LeaseManager.Mounts {
    private static final Logger LOG = Logger.getLogger(MountTable.class.getName());
    static final String KEY = "core/mounts";

    /**
     * A request path resolved to a mount.
     *
     * @param info the mount as its engine sees it, TTLs resolved against the system defaults
     */
    public record Route(MountEntry mount, MountInfo info, Backend backend, String relativePath) {
    }

    private final Storage storage;
    private final Storage logical;
    private final EngineCatalog engines;
    private final SystemDefaults defaults;
    private final Map<String, MountEntry> builtins = new HashMap<>();
    private final Map<String, Backend> builtinBackends = new HashMap<>();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private volatile Parsed parsed = new Parsed(null, List.of());

    private record Parsed(byte[] raw, List<MountEntry> entries) {
    }

    /**
     * @param storage  where the table itself lives
     * @param logical  where engines keep their data: each mount gets {@code <uuid>/} of it
     * @param engines  the engine types mounts may have
     * @param defaults the server-wide lease TTLs that mounts without their own inherit
     */
    public MountTable(Storage storage, Storage logical, EngineCatalog engines, SystemDefaults defaults) {
        this.storage = storage;
        this.logical = logical;
        this.engines = engines;
        this.defaults = defaults;
    }

    public EngineCatalog engines() {
        return engines;
    }

    public SystemDefaults defaults() {
        return defaults;
    }

    public void addBuiltin(MountEntry entry, Backend backend) {
        builtins.put(entry.path(), entry);
        builtinBackends.put(entry.path(), backend);
    }

    /** The stored user mounts, parsed again only when the stored bytes changed. */
    private List<MountEntry> userMounts() {
        byte[] raw = storage.get(KEY).orElse(null);
        Parsed p = parsed;
        if (raw != p.raw()) {
            List<MountEntry> loaded = raw == null ? List.of() : List.copyOf(MountCodec.decode(raw));
            p = new Parsed(raw, loaded);
            parsed = p;
            backends.keySet().retainAll(loaded.stream().map(MountEntry::uuid).toList());
        }
        return p.entries();
    }

    /**
     * Forgets the parsed table and every engine made for it, with whatever they hold decoded (a CA's
     * private key, roles): a node being sealed keeps nothing it read through the barrier. The next
     * request after unsealing reads the table and makes the engines again.
     */
    public void unloadEngines() {
        parsed = new Parsed(null, List.of());
        backends.clear();
    }

    /** The longest mounted prefix of {@code path}, or empty. */
    public Optional<Route> route(String path) {
        return route(path, userMounts()).map(best -> new Route(best, best.info(defaults), backend(best),
                path.substring(best.path().length())));
    }

    /**
     * {@link #route} as of the last time the table was read, without reading storage or creating an
     * engine: empty when that view has no engine for the path yet. For choosing a worker pool only.
     */
    public Optional<Route> lastKnownRoute(String path) {
        return route(path, parsed.entries()).flatMap(best -> {
            Backend builtin = builtins.get(best.path()) == best ? builtinBackends.get(best.path()) : null;
            Backend engine = builtin != null ? builtin : backends.get(best.uuid());
            return engine == null ? Optional.empty() : Optional.of(new Route(best, null, engine,
                    path.substring(best.path().length())));
        });
    }

    private Optional<MountEntry> route(String path, List<MountEntry> userMounts) {
        MountEntry best = null;
        for (MountEntry e : builtins.values()) {
            if (path.startsWith(e.path()) && (best == null || e.path().length() > best.path().length())) {
                best = e;
            }
        }
        for (MountEntry e : userMounts) {
            if (path.startsWith(e.path()) && (best == null || e.path().length() > best.path().length())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The mount at exactly {@code path}.
     *
     * @throws EngineException 400 for a path no mount can have ({@link #checkPath})
     */
    public Optional<MountEntry> get(String path) {
        checkPath(path);
        MountEntry b = builtins.get(path);
        if (b != null) {
            return Optional.of(b);
        }
        return userMounts().stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** The mount with this accessor, builtins included. */
    public Optional<MountEntry> byAccessor(String accessor) {
        for (MountEntry e : builtins.values()) {
            if (e.accessor().equals(accessor)) {
                return Optional.of(e);
            }
        }
        return userMounts().stream().filter(e -> e.accessor().equals(accessor)).findFirst();
    }

    public Optional<MountEntry> byUuid(String uuid) {
        return userMounts().stream().filter(e -> e.uuid().equals(uuid)).findFirst();
    }

    public Backend backend(MountEntry entry) {
        Backend builtin = builtinBackends.get(entry.path());
        if (builtin != null && builtins.get(entry.path()) == entry) {
            return builtin;
        }
        return backends.computeIfAbsent(entry.uuid(), u -> engines.create(entry.type(), storageOf(entry)));
    }

    /**
     * Runs the upkeep of every mounted engine (Vault's periodic functions); one engine's failure is
     * logged and does not keep the others from theirs.
     */
    public void runPeriodic() {
        for (MountEntry e : userMounts()) {
            try {
                backend(e).periodic();
            } catch (RuntimeException failed) {
                LOG.log(Level.WARNING, "the upkeep of mount {0} failed, will retry: {1}",
                        new Object[] {e.path(), failed.toString()});
            }
        }
    }

    /** The mount's private storage: everything its engine keeps, and all that disabling it removes. */
    public Storage storageOf(MountEntry entry) {
        return logical.view(entry.uuid() + "/");
    }

    @Override
    public Optional<Backend> backend(String mountUuid) {
        return byUuid(mountUuid).map(this::backend);
    }

    @Override
    public Optional<MountInfo> mount(String mountUuid) {
        return byUuid(mountUuid).map(e -> e.info(defaults));
    }

    /** The secrets mounts: builtins first (sys/ only is listed, as Vault does), then user mounts. */
    public List<MountEntry> listed() {
        List<MountEntry> out = new ArrayList<>();
        MountEntry sys = builtins.get("sys/");
        if (sys != null) {
            out.add(sys);
        }
        for (MountEntry e : userMounts()) {
            if (!e.isAuth()) {
                out.add(e);
            }
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return Collections.unmodifiableList(out);
    }

    /** The auth mounts ({@code auth/token/} and those enabled), sorted by path. */
    public List<MountEntry> authMounts() {
        List<MountEntry> out = new ArrayList<>();
        for (MountEntry e : builtins.values()) {
            if (e.isAuth()) {
                out.add(e);
            }
        }
        for (MountEntry e : userMounts()) {
            if (e.isAuth()) {
                out.add(e);
            }
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    public boolean isBuiltinPath(String path) {
        return builtins.containsKey(path);
    }

    /** Adds a mount after checking its path and for conflicts (atomic against concurrent changes on any node). */
    public void add(MountEntry entry) {
        checkPath(entry.path());
        mutate(entries -> {
            for (MountEntry e : allEntries(entries)) {
                // an auth mount's conflicts are named as sys/auth names paths: without auth/
                String shown = entry.isAuth() && e.isAuth() ? e.path().substring("auth/".length()) : e.path();
                if (e.path().equals(entry.path()) || (entry.isAuth() && e.isAuth()
                        && (entry.path().startsWith(e.path()) || e.path().startsWith(entry.path())))) {
                    throw EngineException.user("path is already in use at " + shown);
                }
                if (entry.path().startsWith(e.path()) || e.path().startsWith(entry.path())) {
                    throw EngineException.user("existing mount at " + shown);
                }
            }
            entries.add(entry);
        });
    }

    public void replace(MountEntry entry) {
        checkPath(entry.path());
        mutate(entries -> entries.replaceAll(e -> e.path().equals(entry.path()) ? entry : e));
    }

    public void remove(String path) {
        checkPath(path);
        mutate(entries -> entries.removeIf(e -> e.path().equals(path)));
    }

    /**
     * Refuses a mount path (with its trailing slash) that has an empty, {@code .} or {@code ..}
     * segment. Such a path is never a mount's, yet prefix matching would take
     * {@code a/../../sys/} for a mount of its own beside {@code sys/}, and whatever resolves it
     * later would see another path; every endpoint that names a mount path passes through here.
     * The words are Vault's for a storage path with {@code ..} in it.
     */
    static void checkPath(String path) {
        String[] segments = path.endsWith("/") ? path.substring(0, path.length() - 1).split("/", -1)
                : path.split("/", -1);
        for (String segment : segments) {
            if (segment.equals(".") || segment.equals("..")) {
                throw EngineException.user("invalid mount path " + GoFormat.q(path) + ": relative paths not supported");
            }
            if (segment.isEmpty()) {
                throw EngineException.user("invalid mount path " + GoFormat.q(path) + ": empty path segment");
            }
        }
    }

    private List<MountEntry> allEntries(List<MountEntry> users) {
        List<MountEntry> all = new ArrayList<>(builtins.values());
        all.addAll(users);
        return all;
    }

    private void mutate(Consumer<List<MountEntry>> change) {
        storage.update(KEY, current -> {
            List<MountEntry> entries = new ArrayList<>(current == null ? List.of() : MountCodec.decode(current));
            change.accept(entries);
            return MountCodec.encode(entries);
        });
    }
}
