package dev.latchkey.engine.ssh.dynamic;

/**
 * A step of the work on a target host failed. The message names the host, the step and the cause,
 * e.g. {@code 127.0.0.1:2222: authenticate as "admin": the host refused the admin key}.
 */
public final class TargetHostException extends RuntimeException {
    /** The steps of an install or uninstall, in order. */
    public enum Step {
        CONNECT("connect"),
        HOST_KEY("verify host key"),
        AUTHENTICATE("authenticate"),
        UPLOAD("upload"),
        RUN("run install script");

        private final String text;

        Step(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Step step;

    public TargetHostException(String address, Step step, String detail) {
        super(address + ": " + step.text() + ": " + detail, null, false, false);
        this.step = step;
    }

    public Step step() {
        return step;
    }
}
