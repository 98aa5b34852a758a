package dev.latchkey.engine.framework;

/** The logical operation a request asks for, independent of the HTTP method that carried it. */
public enum Operation {
    READ("read"),
    UPDATE("update"),
    DELETE("delete"),
    LIST("list"),
    /** An HTTP {@code PATCH} with a JSON merge patch: change some fields, leave the others. */
    PATCH("patch");

    private final String capability;

    Operation(String capability) {
        this.capability = capability;
    }

    /** The ACL capability a token needs for this operation. */
    public String capability() {
        return capability;
    }
}
