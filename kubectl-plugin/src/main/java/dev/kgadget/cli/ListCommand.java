package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.cli.render.CatalogRenderer;
import dev.kgadget.cli.render.JsonRenderer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Show the gadgets, the symptom each one answers, and their parameters.")
final class ListCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: text)")
    OutputFormat output;

    private final CliEnvironment env;

    ListCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (output == OutputFormat.JSON) {
            new JsonRenderer().render(GadgetCatalog.all(), env.out());
        } else {
            new CatalogRenderer().render(GadgetCatalog.all(), env.out());
        }
        env.out().flush();
        return 0;
    }
}
