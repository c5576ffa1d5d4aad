#include "app/CliMain.h"

#include <exception>
#include <iostream>
#include <new>
#include <string>

#include <c10/util/Exception.h>

#include "app/VerbTable.h"
#include "core/base/Error.h"
#include "core/base/ErrorText.h"

namespace latentlab::cli {

int CliMain::run(int argc, char** argv)
{
    const std::string verb = argc > 1 ? argv[1] : "";
    if (verb == "--version") {
        std::cout << "latentlab-cli " PROJECT_VERSION "\n";
        return 0;
    }
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
    const std::string prefix = "latentlab-cli " + verb + ": error: ";
    try {
        return found->run(argc, argv);
    } catch (const Error& e) {
        std::cerr << prefix << ErrorText::withoutBacktrace(e.what()) << "\n";
    } catch (const c10::Error& e) {
        // LibTorch (an allocation that failed, a shape it refused): its message, not its backtrace.
        std::cerr << prefix << ErrorText::firstLine(e.what_without_backtrace()) << "\n";
    } catch (const std::bad_alloc&) {
        std::cerr << prefix << "out of memory (the model or data set is too large for this machine)\n";
    } catch (const std::exception& e) {
        std::cerr << prefix << ErrorText::withoutBacktrace(e.what()) << "\n";
    }
    return 1;
}

} // namespace latentlab::cli
