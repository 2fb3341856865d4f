// Anchors the base library; Status and Result are header-only.
#include "base/result.h"
