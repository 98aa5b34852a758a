package dev.latchkey.api;

import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.audit.AuditLog;
import dev.latchkey.api.auth.AppRoleBackend;
import dev.latchkey.api.auth.UserpassBackend;
import dev.latchkey.api.auth.jwt.JwtBackend;
import dev.latchkey.api.config.ListenerOptions;
import dev.latchkey.api.config.ServerOptions;
import dev.latchkey.api.core.ClusterView;
import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.FatalErrors;
import dev.latchkey.api.core.Lockouts;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.http.HttpFrontend;
import dev.latchkey.api.http.ListenerUnavailableException;
import dev.latchkey.api.http.tls.TlsListener;
import dev.latchkey.api.identity.IdentityBackend;
import dev.latchkey.api.identity.IdentityStore;
import dev.latchkey.api.identity.TokenAcls;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.metrics.NodeGauges;
import dev.latchkey.api.metrics.TimedLeaseStore;
import dev.latchkey.api.metrics.TimedStorage;
import dev.latchkey.api.mount.EngineCatalog;
import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.seal.InitRequest;
import dev.latchkey.api.seal.InitResult;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.sys.SystemBackend;
import dev.latchkey.api.token.TokenBackend;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenRoles;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.cluster.ClusterNode;
import dev.latchkey.cluster.LeaseReaper;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.ssh.SshBackend;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import dev.latchkey.engine.ssh.dynamic.transport.MinaTargetHosts;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.storage.Storage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.net.BindException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One Latchkey node: its storage (the cluster node), its seal lifecycle, the Vault core around the
 * engines, and the HTTP listener. {@link #startDev} starts one as {@code vault server -dev} does;
 * {@link #start} as a production server does, sealed.
 */
public final class LatchkeyServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LatchkeyServer.class.getName());
    /** How long {@link #close} waits for requests in flight (systemd's unit allows 30 s in all). */
    private static final long DRAIN_SECONDS = 10;
    /** How often each mounted engine's upkeep runs, as often as Vault runs its periodic functions. */
    private static final int PERIODIC_SECONDS = 60;
    private static final String ATTR_API_ADDR = "latchkey.api_addr";
    private static final String ATTR_HOSTNAME = "latchkey.hostname";
    private static final String ATTR_VERSION = "latchkey.version";
    /** Outstanding OTPs: many, short-lived, never listed; kept apart so listings stay cheap. */
    private static final Pattern BULK = Pattern.compile("logical/[^/]+/otp/.*");
    /** The most overdue leases the gauge counts; more means the reaper is far behind either way. */
    private static final int USAGE_DUE_LIMIT = 100_000;
    /**
     * Keys read on (nearly) every request and rarely written: tokens, the mount table, ACL
     * policies, and each mount's roles and configuration, its published KRL (every host polls it)
     * and the generation of its revocations. OTPs and leases are never cached.
     */
    private static final Pattern READ_MOSTLY = Pattern.compile(
            "core/(mounts|audit|token/.*|policy/.*|identity/.*)|logical/[^/]+/(roles/.*|config/.*|salt|krl/current"
                    + "|revoked/generation)");

    /** What a started node runs, in the order it was started; closed in reverse. */
    private record Parts(ClusterNode cluster, Storage storage, MinaTargetHosts targetHosts,
                         ExecutorService background, Reaper reaper, ScheduledExecutorService housekeeping, Vertx vertx,
                         WorkerExecutor worker, WorkerExecutor unauthenticatedWorker, List<Listener> listeners,
                         AuditLog audit) {
    }

    /**
     * A listener as started: its options (for a TLS reload) and its servers, one per event loop,
     * sharing the one socket.
     */
    private record Listener(ListenerOptions options, List<HttpServer> http) {
        int port() {
            return http.get(0).actualPort();
        }
    }

    /**
     * Serves {@code options} from {@code loops} event loops. A Vert.x server created outside a
     * verticle runs every connection on the one event loop of the context it was made from, so a
     * single server leaves every other core idle for HTTP work; the instances of one deployment
     * here get an event loop each and share one socket, which hands each new connection to the
     * next of them. A port of 0 (in-process tests) is served from one event loop: Vert.x would
     * give each instance a random port of its own. {@code started} receives each server as it
     * listens, so a failure part-way still lets {@link #close} stop the ones that did.
     */
    private static void listenOnEveryLoop(Vertx vertx, HttpFrontend frontend, HttpServerOptions options, int loops,
                                          List<HttpServer> started) throws Exception {
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return frontend.attach(vertx.createHttpServer(options)).listen().onSuccess(s -> {
                    synchronized (started) {
                        started.add(s);
                    }
                });
            }
        }, new DeploymentOptions().setInstances(options.getPort() == 0 ? 1 : Math.max(1, loops)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long ports = started.stream().mapToInt(HttpServer::actualPort).distinct().count();
        if (ports != 1) {
            throw new IllegalStateException("the listener's " + started.size() + " event-loop servers bound "
                    + ports + " different ports");
        }
    }

    private final Parts parts;
    private final SealCore seal;
    private final String rootToken;
    private final String unsealKey;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LatchkeyServer(Parts parts, SealCore seal, String rootToken, String unsealKey) {
        this.parts = parts;
        this.seal = seal;
        this.rootToken = rootToken;
        this.unsealKey = unsealKey;
    }

    /**
     * Starts an in-memory single node initialised with one key share and unsealed, as
     * {@code vault server -dev} does. It runs no Hazelcast member: the HTTP listener is the only
     * port it opens.
     */
    public static LatchkeyServer startDev(DevOptions options) {
        NodeOptions node = NodeOptions.inMemory(options.host(), options.port());
        node = node.withServer(node.server().forDev());
        return boot(node, options.rootTokenId(), true);
    }

    /**
     * Starts a node as {@code vault server -config} does: sealed, and uninitialised until
     * {@code sys/init} runs over its storage. With a static seal, a node whose storage is already
     * initialised unseals itself before it listens. It runs no Hazelcast member.
     *
     * @throws IllegalStateException when the node cannot start, e.g. its storage was initialised with
     *                               another kind of seal
     */
    public static LatchkeyServer start(NodeOptions options) {
        return boot(options, null, false);
    }

    private static LatchkeyServer boot(NodeOptions options, String rootTokenId, boolean dev) {
        ServerOptions server = options.server();
        LongSupplier clock = System::currentTimeMillis;
        ClusterNode cluster = options.member() != null ? ClusterNode.joinSealed(options.member(), options.durable())
                : options.durable() != null ? ClusterNode.standaloneSealed(options.durable())
                : ClusterNode.standaloneSealed(options.storage(), options.leases());
        ClusterView members = options.member() == null ? ClusterView.STANDALONE : members(cluster);
        Vertx vertx = null;
        MinaTargetHosts targetHosts = null;
        ExecutorService background = null;
        ScheduledExecutorService housekeeping = null;
        Reaper reaper = null;
        List<Listener> listeners = new ArrayList<>();
        try {
            Metrics metrics = new Metrics(server.telemetry(), ClusterView.localHostName());
            Storage storage = new TimedStorage(cluster.storage(BULK, READ_MOSTLY), metrics);
            LeaseStore leaseStore = new TimedLeaseStore(cluster.leaseStore(), metrics);
            targetHosts = new MinaTargetHosts();
            EngineCatalog engines = engines(targetHosts, clock, metrics.sshEvents());
            MountTable mounts = new MountTable(storage, storage.view("logical/"), engines, server.leaseTtls());
            LeaseManager leases = new LeaseManager(leaseStore, mounts, clock, metrics.leaseEvents());
            TokenStore tokens = new TokenStore(storage, leases, clock, entry -> tokenCreated(metrics, mounts, entry));
            PolicyStore policies = new PolicyStore(storage);
            IdentityStore identity = new IdentityStore(storage);
            TokenAcls acls = new TokenAcls(policies, identity);
            Lockouts lockouts = new Lockouts(storage, clock);
            AuditLog audit = new AuditLog(storage);
            background = Executors.newFixedThreadPool(2, daemon("latchkey-background"));
            reaper = new Reaper(leases);
            SealCore seal = new SealCore(cluster.physical(), cluster.barrier(), options.staticSeal(),
                    new NodeLifecycle(cluster, mounts, reaper, () -> createRootToken(tokens, rootTokenId, clock)),
                    Instant::now);
            mounts.addBuiltin(builtin("sys/", SystemBackend.TYPE, "system endpoints used for control, policy and debugging"),
                    new SystemBackend(mounts, leases, seal, SystemInfo.VAULT_VERSION, members, policies, tokens, acls, lockouts, audit, background, clock,
                            metrics));
            mounts.addBuiltin(builtin("auth/token/", TokenBackend.TYPE, "token based credentials"),
                    new TokenBackend(tokens, new TokenRoles(storage), policies, acls::acl, entry -> loginLimits(mounts, entry),
                            server.leaseTtls(), clock, background));
            mounts.addBuiltin(builtin("identity/", IdentityBackend.TYPE, "identity store"),
                    new IdentityBackend(identity, mounts));

            String root = null;
            String unsealKey = null;
            if (dev) {
                InitResult init = seal.initialize(InitRequest.shamir(1, 1));
                root = init.rootToken();
                unsealKey = Base64.getEncoder().encodeToString(init.keys().get(0));
                seal.unseal(init.keys().get(0), false);
            } else if (seal.initialized()) {
                seal.unsealWithStoredKeys(); // a no-op for Shamir; a static seal unseals itself
            }

            housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("latchkey-housekeeping"));
            // Another member may initialise the storage this node shares: status reads see it from
            // here, and a node with a static seal then unseals itself.
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    if (!seal.initialized() && seal.refreshFromStorage()) {
                        seal.unsealWithStoredKeys();
                    }
                    metrics.learnClusterName(); // read once unsealed, here, so that no request reads it
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "reading the seal's configuration failed, will retry: {0}", e.toString());
                }
            }, 1, 1, TimeUnit.SECONDS);
            housekeeping.scheduleWithFixedDelay(() -> {
                if (!seal.sealed()) {
                    sweepTokens(tokens);
                }
            }, 30, 30, TimeUnit.SECONDS);
            // The engines' upkeep (a tidy of a large inventory, a new KRL) may take seconds, so it
            // runs on the background pool, one round at a time, and never holds up the seal checks
            // that share the housekeeping thread.
            ExecutorService upkeepPool = background;
            AtomicBoolean upkeepRunning = new AtomicBoolean();
            housekeeping.scheduleWithFixedDelay(() -> {
                if (seal.sealed() || !upkeepRunning.compareAndSet(false, true)) {
                    return;
                }
                try {
                    upkeepPool.execute(() -> {
                        try {
                            mounts.runPeriodic();
                        } finally {
                            upkeepRunning.set(false);
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    upkeepRunning.set(false);
                }
            }, PERIODIC_SECONDS, PERIODIC_SECONDS, TimeUnit.SECONDS);

            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false).setEventLoopPoolSize(server.eventLoops()));
            vertx.exceptionHandler(FatalErrors::haltIfFatal);
            WorkerExecutor worker = vertx.createSharedWorkerExecutor("latchkey-worker", server.workers());
            WorkerExecutor unauthenticatedWorker = vertx.createSharedWorkerExecutor("latchkey-unauthenticated",
                    server.unauthenticatedWorkers());
            SystemInfo info = new SystemInfo(SystemInfo.VAULT_VERSION, BuildInfo.buildDate(), options.storageType(),
                    new SystemInfo.ClusterIdentity() {
                        @Override
                        public String name() {
                            return cluster.displayName();
                        }

                        @Override
                        public String id() {
                            return cluster.clusterId();
                        }
                    }, members);
            // what may block after a storage answered asynchronously goes back to the workers
            Executor blocking = task -> worker.executeBlocking(() -> {
                task.run();
                return null;
            }, false);
            Dispatcher dispatcher = new Dispatcher(mounts, tokens, acls, identity, leases, seal::sealed, cluster::hasQuorum,
                    blocking, clock, lockouts, audit, SystemInfo.VAULT_VERSION, metrics);
            metrics.bind(gauges(seal, cluster, members, mounts, tokens, identity, leaseStore, clock));
            if (metrics.countsUsage()) {
                long period = server.telemetry().usageGaugePeriod().toMillis();
                housekeeping.scheduleWithFixedDelay(() -> {
                    try {
                        metrics.recountUsage();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "counting tokens, leases and entities for the metrics failed, will "
                                + "retry: {0}", e.toString());
                    }
                }, Math.min(period, 2000), period, TimeUnit.MILLISECONDS);
            }
            for (ListenerOptions listener : server.listeners()) {
                HttpFrontend frontend = new HttpFrontend(vertx, dispatcher, seal, info, worker, unauthenticatedWorker,
                        listener, metrics);
                HttpServerOptions http = new HttpServerOptions()
                        .setHost(listener.host()).setPort(listener.port())
                        // Vault serves HTTP/2 only over TLS (ALPN); a plaintext listener speaks HTTP/1.1 alone
                        .setHttp2ClearTextEnabled(false)
                        .setIdleTimeout((int) listener.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setHandle100ContinueAutomatically(true)
                        .setMaxInitialLineLength(listener.maxHeaderBytes()).setMaxHeaderSize(listener.maxHeaderBytes());
                if (listener.tls() != null) {
                    http = TlsListener.serverOptions(http, listener.tls());
                }
                List<HttpServer> started = new ArrayList<>();
                listeners.add(new Listener(listener, started));
                try {
                    listenOnEveryLoop(vertx, frontend, http, server.eventLoops(), started);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BindException bind) {
                        throw new ListenerUnavailableException(listeners.size() - 1, listener, bind);
                    }
                    throw e;
                }
            }
            return new LatchkeyServer(new Parts(cluster, storage, targetHosts, background, reaper, housekeeping,
                    vertx, worker, unauthenticatedWorker, List.copyOf(listeners), audit), seal, root, unsealKey);
        } catch (Exception e) {
            if (vertx != null) {
                vertx.close();
            }
            if (housekeeping != null) {
                housekeeping.shutdownNow();
            }
            if (reaper != null) {
                reaper.stop();
            }
            if (background != null) {
                background.shutdownNow();
            }
            if (targetHosts != null) {
                targetHosts.close();
            }
            cluster.close();
            if (e instanceof ListenerUnavailableException unavailable) {
                throw unavailable;
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not start the server: " + cause.getMessage(), cause);
        }
    }

    /**
     * Counts a new token as Vault's {@code vault_token_creation} does: by the auth method and mount
     * that made it ({@code token} and {@code auth/token/} for the token store's own), its TTL bucket and type.
     */
    private static void tokenCreated(Metrics metrics, MountTable mounts, TokenEntry entry) {
        String mountPoint = "auth/token/";
        String method = "token";
        if (entry.path().startsWith("auth/") && !entry.path().startsWith("auth/token/")) {
            Optional<MountTable.Route> route = mounts.lastKnownRoute(entry.path());
            if (route.isPresent()) {
                mountPoint = route.get().mount().path();
                method = route.get().backend().type();
            }
        }
        metrics.tokenCreated(method, mountPoint, entry.creationTtl(), "service");
    }

    /** What the gauges read of this node. */
    private static NodeGauges gauges(SealCore seal, ClusterNode cluster, ClusterView members, MountTable mounts,
                                     TokenStore tokens, IdentityStore identity, LeaseStore leaseStore, LongSupplier clock) {
        return new NodeGauges() {
            @Override
            public boolean unsealed() {
                return !seal.sealed();
            }

            @Override
            public String clusterName() {
                return cluster.displayName();
            }

            @Override
            public Map<MountKind, Integer> mounts() {
                Map<MountKind, Integer> out = new HashMap<>();
                for (MountEntry e : mounts.listed()) {
                    out.merge(new MountKind("logical", e.local()), 1, Integer::sum);
                }
                for (MountEntry e : mounts.authMounts()) {
                    out.merge(new MountKind("auth", e.local()), 1, Integer::sum);
                }
                return out;
            }

            @Override
            public int members() {
                return Math.max(1, members.members().size());
            }

            @Override
            public boolean quorum() {
                return cluster.hasQuorum();
            }

            @Override
            public Usage usage() {
                return new Usage(tokens.count(), identity.entityIds().size(), leaseStore.idsWithPrefix("").size(),
                        leaseStore.dueIds(clock.getAsLong(), USAGE_DUE_LIMIT).size());
            }
        };
    }

    /** What a member announces to the others when it joins, for their HA status endpoints. */
    public static Map<String, String> memberAttributes(String apiAddr) {
        return Map.of(ATTR_API_ADDR, apiAddr == null ? "" : apiAddr, ATTR_HOSTNAME, ClusterView.localHostName(),
                ATTR_VERSION, SystemInfo.VAULT_VERSION);
    }

    /** The cluster's members as the HA endpoints list them, read afresh on every call. */
    private static ClusterView members(ClusterNode cluster) {
        return new ClusterView() {
            @Override
            public boolean haEnabled() {
                return true;
            }

            @Override
            public List<Member> members() {
                return cluster.members().stream()
                        .map(m -> new Member(m.attributes().getOrDefault(ATTR_HOSTNAME, ""),
                                m.attributes().getOrDefault(ATTR_API_ADDR, ""), "tcp://" + m.address(), m.self(),
                                m.attributes().getOrDefault(ATTR_VERSION, "")))
                        .sorted(Comparator.comparing(Member::apiAddress).thenComparing(Member::clusterAddress))
                        .toList();
            }
        };
    }

    /**
     * The lease reaper runs only while the node is unsealed: revoking needs the engines, which need
     * the barrier open. Started on unseal, stopped on seal, as Vault's expiration manager is.
     */
    private static final class Reaper {
        private final LeaseManager leases;
        private LeaseReaper running;

        Reaper(LeaseManager leases) {
            this.leases = leases;
        }

        synchronized void start() {
            if (running == null) {
                running = new LeaseReaper(leases, 1000);
            }
        }

        synchronized void stop() {
            if (running != null) {
                running.close();
                running = null;
            }
        }
    }

    /** What the node does as its barrier opens and closes. */
    private record NodeLifecycle(ClusterNode cluster, MountTable mounts, Reaper reaper, Supplier<String> rootToken)
            implements SealCore.Lifecycle {
        @Override
        public void unsealed() {
            cluster.clusterId(); // made or read now, so status paths never touch storage for it
            reaper.start();
        }

        @Override
        public void sealing() {
            reaper.stop();
            mounts.unloadEngines();
            cluster.forgetOpenedCopies();
        }

        @Override
        public String createRootToken() {
            return rootToken.get();
        }
    }

    /** Every secrets engine this build serves, by mount type. */
    private static EngineCatalog engines(TargetHosts targetHosts, LongSupplier clock, SshEvents events) {
        return new EngineCatalog(Map.of(
                SshBackend.TYPE, mountStorage -> new SshBackend(mountStorage, clock, targetHosts, events)), Map.of(
                UserpassBackend.TYPE, UserpassBackend::new,
                AppRoleBackend.TYPE, mountStorage -> new AppRoleBackend(mountStorage, clock),
                "jwt", mountStorage -> new JwtBackend("jwt", mountStorage, clock),
                "oidc", mountStorage -> new JwtBackend("oidc", mountStorage, clock)));
    }

    /**
     * The dev root token. Vault's own comes from initialising the server ({@code auth/token/root},
     * display name {@code root}); when {@code -dev-root-token-id} names one, Vault makes it through
     * {@code auth/token/create} as an orphan, so its path and display name say so, and certificates
     * signed with it get the key ID {@code vault-token-…}.
     */
    private static String createRootToken(TokenStore tokens, String requestedId, LongSupplier clock) {
        boolean named = requestedId != null;
        TokenEntry entry = new TokenEntry(TokenStore.newAccessor(), List.of("root"),
                named ? "auth/token/create" : "auth/token/root", Map.of(), named ? "token" : "root", 0, true, "",
                clock.getAsLong() / 1000, 0, 0, 0, 0, false, 0, "");
        return tokens.create(entry, requestedId);
    }

    /**
     * What the auth method whose login made the token says of its renewal now: the login's TTL and
     * the smallest of its maximums and the mount's; a refusal is thrown. Empty for tokens no login made.
     */
    private static Optional<TokenBackend.LoginLimits> loginLimits(MountTable mounts, TokenEntry entry) {
        if (entry.entityId().isEmpty() || !entry.path().startsWith("auth/")) {
            return Optional.empty();
        }
        Optional<MountTable.Route> route = mounts.route(entry.path());
        if (route.isEmpty() || !route.get().mount().isAuth()) {
            throw EngineException.user("the auth method that made this token is gone; not renewing");
        }
        return route.get().backend().renewLogin(route.get().relativePath(), entry.meta(), entry.policies()).map(l -> {
            long max = route.get().info().maxLeaseTtl();
            for (long m : new long[] {l.maxTtl(), l.explicitMaxTtl()}) {
                if (m > 0 && (max == 0 || m < max)) {
                    max = m;
                }
            }
            return new TokenBackend.LoginLimits(l.ttl(), max);
        });
    }

    private static MountEntry builtin(String path, String type, String description) {
        // auth mounts' accessors are auth_<type>_<8 hex>, as Vault names them (auth_token_1a2b3c4d)
        String accessor = (path.startsWith("auth/") ? "auth_" : "") + type + "_" + UUID.randomUUID().toString().substring(0, 8);
        return new MountEntry(path, type, description, accessor,
                UUID.randomUUID().toString(), false, false, false, null, "", MountEntry.MountConfig.defaults());
    }

    private static void sweepTokens(TokenStore tokens) {
        try {
            tokens.sweepExpired();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "token sweep failed, will retry: {0}", e.toString());
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The first listener's port (the one a dev server prints). */
    public int port() {
        return parts.listeners().get(0).port();
    }

    /** Each listener's bound port, in the order the configuration gives them. */
    public List<Integer> ports() {
        return parts.listeners().stream().map(Listener::port).toList();
    }

    /** Reopens every audit file (SIGHUP): log rotation moved them away. */
    public void reopenAuditFiles() {
        parts.audit().reopen();
    }

    /**
     * Reads every TLS listener's certificate and key files again and swaps them in without
     * dropping connections (Vault does this on SIGHUP). A listener whose files fail to load keeps
     * its certificate; the failures are returned, one line each.
     */
    public List<String> reloadTls() {
        List<String> failures = new ArrayList<>();
        for (Listener l : parts.listeners()) {
            if (l.options().tls() == null) {
                continue;
            }
            try {
                for (HttpServer http : l.http()) {
                    TlsListener.reload(http, l.options().tls()).toCompletionStage().toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                failures.add(l.options().host() + ":" + l.options().port() + ": " + cause.getMessage());
            }
        }
        return failures;
    }

    /** The root token a dev node made; null for a node started with {@link #start}, whose comes from {@code sys/init}. */
    public String rootToken() {
        return rootToken;
    }

    /** A dev node's one unseal key, base64, as Vault's dev banner shows it; null otherwise. */
    public String unsealKey() {
        return unsealKey;
    }

    /** This node's seal lifecycle, for tests and the launcher. */
    public SealCore seal() {
        return seal;
    }

    /** The cluster member, for tests that inspect what is stored. */
    public ClusterNode cluster() {
        return parts.cluster();
    }

    /**
     * The storage the engines and the token store write through, opened (unsealed), OTPs
     * included: for tests that look at every record the server keeps.
     */
    public Storage storage() {
        return parts.storage();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Stop accepting, let the requests in flight finish (up to the drain time), then seal: a
        // client whose request arrived before SIGTERM gets its answer, as from Vault's graceful stop.
        List<Future<Void>> drained = parts.listeners().stream().flatMap(l -> l.http().stream())
                .map(http -> http.shutdown(DRAIN_SECONDS, TimeUnit.SECONDS)).toList();
        for (Future<Void> d : drained) {
            try {
                d.toCompletionStage().toCompletableFuture().get(DRAIN_SECONDS + 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "HTTP listener did not close cleanly: {0}", e.toString());
            }
        }
        parts.housekeeping().shutdownNow();
        seal.seal(); // as Vault does on shutdown: stops the reaper, drops the keys
        parts.background().shutdown();
        parts.worker().close();
        parts.unauthenticatedWorker().close();
        parts.targetHosts().close();
        try {
            parts.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Vert.x did not close cleanly: {0}", e.toString());
        }
        parts.cluster().close();
    }
}
