package dev.latchkey.api;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** No package of this module depends on another that depends back on it, however indirectly. */
class PackageCyclesTest {
    @Test
    void packagesFormNoCycle() {
        // The module's own compiled classes only: the tests run in the module's directory.
        slices().matching("dev.latchkey.(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter().importPath(Path.of("target", "classes")));
    }
}
