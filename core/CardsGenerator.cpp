#include "core/CardsGenerator.h"
