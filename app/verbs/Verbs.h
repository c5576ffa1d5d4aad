#pragma once
// The verbs of latentlab-cli, one source file each under app/verbs/. Each takes the
// whole command line (argv[1] is the verb) and returns the exit code.

namespace latentlab::cli {

int trainVerb(int argc, char** argv);
int evalVerb(int argc, char** argv);
int infoVerb(int argc, char** argv);
int encodeVerb(int argc, char** argv);
int gridVerb(int argc, char** argv);
int interpolateVerb(int argc, char** argv);
int attributeVerb(int argc, char** argv);
int editVerb(int argc, char** argv);
int statsVerb(int argc, char** argv);
int generateVerb(int argc, char** argv);
int exportDatasetVerb(int argc, char** argv);
int factorsVerb(int argc, char** argv);
int exportVerb(int argc, char** argv);
int restoreVerb(int argc, char** argv);

} // namespace latentlab::cli
