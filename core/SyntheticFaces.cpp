#include "core/SyntheticFaces.h"
