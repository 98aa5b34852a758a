package dev.latchkey.api.config;

/**
 * How much structure one JSON request body may carry, checked while it is parsed so that a hostile
 * body is refused before it costs memory. The first four are Vault 1.21's listener options of the
 * same names, with the defaults its start-up banner prints; the last is Latchkey's own bound on the
 * whole body, because within 32 MiB a client can otherwise pack millions of small values into many
 * containers that each stay under the per-container limits.
 *
 * @param maxDepth               {@code max_json_depth}: objects and arrays nested inside each other
 * @param maxStringValueLength   {@code max_json_string_value_length}: characters in one string, keys included
 * @param maxObjectEntryCount    {@code max_json_object_entry_count}: members of one object
 * @param maxArrayElementCount   {@code max_json_array_element_count}: elements of one array
 * @param maxValues              values of every kind in the whole body, containers included
 */
public record JsonLimits(int maxDepth, int maxStringValueLength, int maxObjectEntryCount, int maxArrayElementCount,
                         int maxValues) {
    public static final JsonLimits VAULT = new JsonLimits(300, 1024 * 1024, 10_000, 10_000, 500_000);

    public JsonLimits {
        if (maxDepth < 1 || maxStringValueLength < 1 || maxObjectEntryCount < 1 || maxArrayElementCount < 1
                || maxValues < 1) {
            throw new IllegalArgumentException("JSON limits must be positive");
        }
    }
}
