package dev.latchkey.api.config.file;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Every problem found is carried, not just the first, so an
 * operator fixes a file in one pass; {@link #getMessage()} is their lines joined by newlines, and
 * no stack trace is meant to be printed with it.
 */
public final class ConfigException extends Exception {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::text).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
