// latentlab-cli: LatentLab's engine without a display (training servers, scripts,
// benchmarks). Every verb prints JSON lines on stdout; errors go to stderr, one message
// naming the verb, never a backtrace.
#include "app/CliMain.h"

int main(int argc, char** argv)
{
    return latentlab::cli::CliMain::run(argc, argv);
}
