package dev.latchkey.engine.framework;

/** The logical operation a request asks for, independent of the HTTP method that carried it. */
public enum Operation {
    READ("read"),
    UPDATE("update"),
    DELETE("delete"),
    LIST("list");

    private final String capability;

    Operation(String capability) {
        this.capability = capability;
    }

    /** The ACL capability a token needs for this operation. */
    public String capability() {
        return capability;
    }
}
