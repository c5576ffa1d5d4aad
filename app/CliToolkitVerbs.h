#pragma once
// latentlab-cli's latent-space verbs. Each returns the exit code.

namespace latentlab::cli {

int encodeVerb(int argc, char** argv);
int gridVerb(int argc, char** argv);
int interpolateVerb(int argc, char** argv);
int attributeVerb(int argc, char** argv);
int editVerb(int argc, char** argv);
int statsVerb(int argc, char** argv);
int generateVerb(int argc, char** argv);
int exportDatasetVerb(int argc, char** argv);

} // namespace latentlab::cli
