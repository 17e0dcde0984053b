// Poppler's GLib binding and cairo (including its PDF and PNG surfaces).
#include <poppler.h>
#include <cairo.h>
#include <cairo-pdf.h>
