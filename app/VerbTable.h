#pragma once
// latentlab-cli's verbs, written once: main dispatches through this table and the
// top-level --help lists it.
#include <string>
#include <vector>

namespace latentlab::cli {

// Runs a verb on the whole command line (argv[1] is the verb); returns the exit code.
using VerbFunction = int (*)(int argc, char** argv);

struct Verb {
    const char* name;
    const char* summary; // one line for the verb list
    VerbFunction run;
};

class VerbTable {
public:
    static const std::vector<Verb>& verbs();
    // The verb of that name, or nullptr.
    static const Verb* find(const std::string& name);
    // Usage and the verb list, as --help prints it.
    static std::string usage();
};

} // namespace latentlab::cli
