package dev.latchkey.engine.framework;

/**
 * A typed failure that carries the HTTP status it maps to and how its message is rendered. The
 * single place that turns it into a response is the HTTP layer.
 */
public class EngineException extends RuntimeException {
    /** How Vault renders the message: verbatim for user errors, multierror-wrapped for core errors. */
    public enum Kind {
        /** 400, message verbatim. */
        USER(400, false),
        /** 403, "permission denied". */
        PERMISSION_DENIED(403, true),
        /** 403 for a token that is unknown, expired, revoked or out of uses: message pre-formatted. */
        INVALID_TOKEN(403, false),
        /**
         * 400, message verbatim: a login whose credentials are wrong for a user or role that
         * exists. Counted towards that alias's lockout.
         */
        INVALID_CREDENTIALS(400, false),
        /** 403 with a message of its own, verbatim (a refusal that says what the policies lack). */
        FORBIDDEN(403, false),
        /** 404, unsupported paths inside a mount. */
        NOT_FOUND(404, true),
        /** 404, the object a request names does not exist: message verbatim. */
        ABSENT(404, false),
        /** 404, no mount for the path: message verbatim. */
        NO_ROUTE(404, false),
        /** 405, unsupported operation. */
        UNSUPPORTED_OPERATION(405, true),
        /** 413, body too large: message verbatim. */
        TOO_LARGE(413, false),
        /** 499 (nginx's "client closed request"): the client went away; nobody reads this answer. */
        CANCELLED(499, false),
        /** 500: reserved for faults of the server itself, never for bad input. */
        INTERNAL(500, true),
        /** 502: a host this server had to talk to (a dynamic-key target) failed; not this server's fault. */
        UPSTREAM(502, false),
        /** 503 {@code Vault is sealed}: the node holds no keys; message verbatim, as Vault sends it. */
        SEALED(503, false),
        /**
         * 503: this node cannot do it safely now (a cluster member cut off from the quorum refuses
         * OTPs and leases rather than risk using one twice); message verbatim, retry later.
         */
        UNAVAILABLE(503, false);

        private final int status;
        private final boolean multiError;

        Kind(int status, boolean multiError) {
            this.status = status;
            this.multiError = multiError;
        }

        public int status() {
            return status;
        }

        public boolean multiError() {
            return multiError;
        }
    }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public static EngineException user(String message) {
        return new EngineException(Kind.USER, message);
    }

    public static EngineException unsupportedPath() {
        return new EngineException(Kind.NOT_FOUND, "unsupported path");
    }

    /** 404 with this message: what the request names does not exist. */
    public static EngineException absent(String message) {
        return new EngineException(Kind.ABSENT, message);
    }

    public static EngineException unsupportedOperation() {
        return new EngineException(Kind.UNSUPPORTED_OPERATION, "unsupported operation");
    }

    /** A login's wrong credentials (400 with this message), counted towards the alias's lockout. */
    public static EngineException invalidCredentials(String message) {
        return new EngineException(Kind.INVALID_CREDENTIALS, message);
    }

    /** 403 with this message, verbatim. */
    public static EngineException forbidden(String message) {
        return new EngineException(Kind.FORBIDDEN, message);
    }

    public static EngineException permissionDenied() {
        return new EngineException(Kind.PERMISSION_DENIED, "permission denied");
    }

    /**
     * A cluster member that cannot see a quorum of its cluster: it refuses rather than risk acting
     * on what the other side of a split has changed (an OTP redeemed there, a token revoked there).
     */
    public static EngineException noQuorum() {
        return new EngineException(Kind.UNAVAILABLE, "no quorum: this node is cut off from most of its cluster and "
                + "refuses requests until it sees a quorum of members again; retry on another node");
    }

    /** Vault's answer to every request but the seal and status paths while the node is sealed. */
    public static EngineException sealed() {
        return new EngineException(Kind.SEALED, "Vault is sealed");
    }

    public static EngineException invalidToken() {
        return new EngineException(Kind.INVALID_TOKEN, "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n");
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status();
    }
}
