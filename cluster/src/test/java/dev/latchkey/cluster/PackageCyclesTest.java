package dev.latchkey.cluster;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** No package of this module depends on another that depends back on it, however indirectly. */
class PackageCyclesTest {
    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.latchkey.(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.latchkey.cluster"));
    }
}
