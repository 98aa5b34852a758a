package dev.latchkey.engine.framework;

import dev.latchkey.engine.storage.Stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A logical response: data for the envelope, an optional secret to lease, warnings, and for core
 * endpoints an {@code auth} block or lease fields to echo; or a raw body that bypasses the envelope.
 *
 * <p>A handler on the OTP hot path answers before its storage has: {@link #afterWrites} marks a
 * response as valid only once its writes complete (the core stores the lease meanwhile), and
 * {@link #later} stands for a response that an asynchronous read will produce. Either way no
 * thread waits for the storage: the answer is sent when the stage completes, and an error there
 * becomes the answer instead.
 */
public final class Response {
    private final Map<String, Object> data;
    private final SecretSpec secret;
    private final List<String> warnings = new ArrayList<>();
    private final RawBody raw;
    private Map<String, Object> auth;
    private LeaseEcho leaseEcho;
    private boolean dataAtTopLevel;
    private int status = 200;
    private Login login;
    private CompletionStage<?> written = Stages.done();
    private CompletionStage<Response> later;

    private Response(Map<String, Object> data, SecretSpec secret, RawBody raw) {
        this.data = data;
        this.secret = secret;
        this.raw = raw;
    }

    /** A response with a data object (may be empty). */
    public static Response of(Map<String, Object> data) {
        return new Response(data, null, null);
    }

    /** A response whose data is leased; engines build it through {@link SecretType#lease}. */
    static Response leased(Map<String, Object> data, SecretSpec secret) {
        return new Response(data, secret, null);
    }

    /** A response without body: 204 on writes and deletes, 404 on reads. */
    public static Response empty() {
        return new Response(null, null, null);
    }

    /** A raw response written as it is, without the envelope. */
    public static Response raw(int status, String contentType, byte[] body) {
        return new Response(null, null, new RawBody(status, contentType, body, null));
    }

    /**
     * A raw response with an entity tag: a client that sends it back in {@code If-None-Match} is
     * answered {@code 304 Not Modified}, so a host polling a document that rarely changes fetches
     * it only when it has.
     */
    public static Response raw(int status, String contentType, byte[] body, String etag) {
        return new Response(null, null, new RawBody(status, contentType, body, etag));
    }

    /** A response that {@code stage} will produce; its failure is the request's error. */
    public static Response later(CompletionStage<Response> stage) {
        Response r = new Response(null, null, null);
        r.later = stage;
        return r;
    }

    /** 202 without a body: the work goes on after the answer. */
    public static Response accepted() {
        return raw(202, "application/json", new byte[0]);
    }

    /** An envelope with {@code data: null} that still counts as a body (e.g. token create, renew). */
    public static Response envelopeOnly() {
        return new Response(null, null, null).markEnvelope();
    }

    private boolean envelope;

    private Response markEnvelope() {
        this.envelope = true;
        return this;
    }

    /**
     * Sends the envelope with another success status: {@code 202} for work that goes on after the
     * answer, as Vault answers a tidy.
     */
    public Response withStatus(int code) {
        this.status = code;
        this.envelope = true;
        return this;
    }

    /**
     * The answer of an auth method's login: the core makes the entity and the token, and answers
     * with the token in {@code auth}.
     */
    public static Response login(Login login) {
        Response r = new Response(null, null, null).markEnvelope();
        r.login = login;
        return r;
    }

    /** What a login found, for a response made by {@link #login}; else null. */
    public Login login() {
        return login;
    }

    /** The status the envelope is sent with. */
    public int status() {
        return status;
    }

    public Response withWarning(String warning) {
        warnings.add(warning);
        return this;
    }

    public Response withAuth(Map<String, Object> auth) {
        this.auth = auth;
        this.envelope = true;
        return this;
    }

    /**
     * Repeats the data's fields at the top level of the envelope, beside {@code data}, as Vault
     * does for {@code sys/mounts} so that clients older than the envelope still find them.
     */
    public Response withDataAtTopLevel() {
        this.dataAtTopLevel = true;
        return this;
    }

    public Response withLease(String leaseId, boolean renewable, long durationSeconds) {
        this.leaseEcho = new LeaseEcho(leaseId, renewable, durationSeconds);
        this.envelope = true;
        return this;
    }

    /**
     * This response holds only once {@code writes} has completed normally (an OTP stored before
     * it is handed out); if they fail, their failure is the answer.
     */
    public Response afterWrites(CompletionStage<?> writes) {
        this.written = writes;
        return this;
    }

    /** The writes this response waits for; complete for most. */
    public CompletionStage<?> written() {
        return written;
    }

    /** The stage that produces the actual response, for one made by {@link #later}; else null. */
    public CompletionStage<Response> deferred() {
        return later;
    }

    /**
     * Waits for the stages this response depends on and returns the response that holds, or throws
     * what failed them: for synchronous callers (tests, tools), never on the request path.
     */
    public Response await() {
        Response actual = later == null ? this : Stages.join(later).await();
        Stages.join(actual.written);
        return actual;
    }

    public Map<String, Object> data() {
        return data;
    }

    public SecretSpec secret() {
        return secret;
    }

    public List<String> warnings() {
        return warnings;
    }

    public RawBody raw() {
        return raw;
    }

    public Map<String, Object> auth() {
        return auth;
    }

    public LeaseEcho leaseEcho() {
        return leaseEcho;
    }

    public boolean repeatsDataAtTopLevel() {
        return dataAtTopLevel;
    }

    /** Whether an envelope (or raw body) is written, as opposed to 204/404. */
    public boolean hasBody() {
        return data != null || raw != null || envelope;
    }

    /** A body written verbatim with its own status and content type. */
    /**
     * @param etag the body's entity tag, quoted ({@code "…"}), or null: a {@code GET} whose
     *             {@code If-None-Match} holds it is answered {@code 304} with no body
     */
    public record RawBody(int status, String contentType, byte[] body, String etag) {
    }

    /** Lease fields a core endpoint puts in the envelope without leasing anything new. */
    public record LeaseEcho(String leaseId, boolean renewable, long durationSeconds) {
    }
}
