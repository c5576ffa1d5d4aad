#include "core/FacePipeline.h"
