// latentlab-cli: LatentLab's engine without a display (training servers, scripts,
// benchmarks). Every verb prints JSON lines on stdout; errors go to stderr.
#include <exception>
#include <iostream>
#include <string>

#include "app/VerbTable.h"

using latentlab::cli::Verb;
using latentlab::cli::VerbTable;

int main(int argc, char** argv)
{
    const std::string verb = argc > 1 ? argv[1] : "";
    if (verb == "--help" || verb == "-h" || verb == "help") {
        std::cout << VerbTable::usage();
        return 0;
    }
    const Verb* const found = VerbTable::find(verb);
    if (!found) {
        std::cerr << (verb.empty() ? std::string("latentlab-cli: no verb given\n")
                                   : "latentlab-cli: unknown verb '" + verb + "'\n")
                  << VerbTable::usage();
        return 2;
    }
    try {
        return found->run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "latentlab-cli " << verb << ": error: " << e.what() << "\n";
        return 1;
    }
}
