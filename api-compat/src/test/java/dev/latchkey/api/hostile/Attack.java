package dev.latchkey.api.hostile;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One row of the attack table: what the attacker does and which of the server's reactions are fine.
 *
 * @param name        the row's name in the report
 * @param expectation the acceptable outcome labels (see {@link Outcomes})
 * @param body        the attack itself: bounded in time, tallying every request or connection
 */
record Attack(String name, Expectation expectation, Body body) {

    /** The bounded attack: runs against the target and tallies what happened to each request. */
    @FunctionalInterface
    interface Body {
        void run(Target target, Outcomes outcomes) throws Exception;
    }

    /**
     * The server under attack.
     *
     * @param port      its loopback port
     * @param rootToken the dev root token, for the attacks that need to be authorised
     * @param caRole    a CA role on the {@code ssh} mount, allowing user certificates for anyone
     */
    record Target(int port, String rootToken, String caRole) {
    }

    /** The outcome labels an attack may end in. */
    record Expectation(String description, Predicate<String> rule) {
        boolean accepts(String label) {
            return rule.test(label);
        }
    }

    private static final Pattern CLIENT_ERROR = Pattern.compile("4\\d\\d");
    private static final Pattern HTTP1_STATUS = Pattern.compile("[1-5]\\d\\d");
    private static final Pattern TEXT_REFUSAL = Pattern.compile("HTTP/\\d\\.\\d [45]\\d\\d");

    /** A cheap 4xx, or the connection closed. */
    static final Expectation CLIENT_ERROR_OR_CLOSED = new Expectation("a 4xx or a closed connection",
            l -> CLIENT_ERROR.matcher(l).matches() || l.equals(Outcomes.CLOSED));
    /** Exactly 400: a malformed body is the client's fault, never a 500. */
    static final Expectation BAD_REQUEST = new Expectation("400", l -> l.equals("400"));
    /** The slow connection was closed by the server in time (with or without a 4xx first). */
    static final Expectation CLOSED_IN_TIME = new Expectation("closed by the server in time",
            l -> l.startsWith(Outcomes.CLOSED));
    /**
     * No switch to HTTP/2: any HTTP/1.x status but 101 Switching Protocols, a plain-text refusal of
     * the version (Vert.x answers the cleartext preface {@code PRI * HTTP/2.0} with a text
     * {@code HTTP/2.0 501}, where Go's server answers {@code HTTP/1.1 505}), or a closed connection —
     * never HTTP/2 frames.
     */
    static final Expectation STAYS_HTTP1 = new Expectation("an HTTP/1.x answer other than 101, a text refusal, or closed",
            l -> (HTTP1_STATUS.matcher(l).matches() && !l.equals("101")) || TEXT_REFUSAL.matcher(l).matches()
                    || l.equals(Outcomes.CLOSED));
    /** Anything but a server error: the attack is allowed, only its cost to others is judged. */
    static final Expectation NO_SERVER_ERROR = new Expectation("anything but a 5xx",
            l -> !l.startsWith("5"));

    @Override
    public String toString() {
        return name;
    }
}
