package io.haquark.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package flow of docs/architecture.md: cli -> config -> model, the engine beside acl,
 * balance, rules, state ..., never a cycle between packages, and the model knows nothing of
 * the packages that use it.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.haquark");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.haquark.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void theModelDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.haquark.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.haquark.engine..", "io.haquark.config..",
                        "io.haquark.cli..", "io.haquark.acl..", "io.haquark.rules..", "io.haquark.state..",
                        "io.haquark.balance..", "io.haquark.health..", "io.haquark.stats..", "io.haquark.runtime..",
                        "io.haquark.logging..", "io.haquark.tls..")
                .check(main);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        // The state, samples, rules and balancers run inside the engine; they never call it.
        noClasses().that().resideInAnyPackage("io.haquark.state..", "io.haquark.acl..", "io.haquark.rules..",
                        "io.haquark.balance..", "io.haquark.logging..", "io.haquark.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("io.haquark.engine..", "io.haquark.cli..",
                        "io.haquark.stats..", "io.haquark.runtime..", "io.haquark.health..")
                .check(main);
    }
}
