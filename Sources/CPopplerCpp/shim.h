// Poppler's C++ binding (poppler-cpp), which renders with Splash, the backend of pdftoppm.
// This module only carries pkg-config's flags and the link to CPopplerSplash, whose C++
// source includes these headers; Swift sees CPopplerSplash's C header, never these.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page.h>
#include <poppler-page-renderer.h>
