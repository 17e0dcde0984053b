// libjpeg (libjpeg-turbo's libjpeg API). libjpeg reports fatal errors through a callback that
// must not return, which Swift cannot express: these inline wrappers keep the setjmp/longjmp
// inside C, silence libjpeg's stderr messages, and return an error text instead.
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} palidoc_jpeg_error_mgr;

static void palidoc_jpeg_error_exit(j_common_ptr cinfo) {
    palidoc_jpeg_error_mgr *err = (palidoc_jpeg_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

// Warnings are ignored except "premature end of data", which means a truncated file: libjpeg
// would fill the missing rows with grey, silently losing part of the page.
static void palidoc_jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        palidoc_jpeg_error_exit(cinfo);
    }
}

static void palidoc_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

/// Header facts of a JPEG stream.
typedef struct {
    int width;
    int height;
    int components;
    int is_cmyk;
} palidoc_jpeg_info;

/// Decodes the JPEG in `data[0..<size]`. With `rgb == NULL` only reads the header into `info`;
/// otherwise writes `info->width * info->height * 3` bytes of RGB into `rgb` (Adobe CMYK/YCCK
/// files are converted with the naive inverted-CMYK formula). Returns 0 on success, or 1 with
/// libjpeg's message in `message` (`message_size` bytes at most).
static inline int palidoc_jpeg_decode(const unsigned char *data, size_t size,
                                      palidoc_jpeg_info *info, unsigned char *rgb,
                                      char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    palidoc_jpeg_error_mgr err;
    // `row` is changed between setjmp and a possible longjmp: volatile keeps its value.
    unsigned char *volatile row = NULL;
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = palidoc_jpeg_error_exit;
    err.pub.emit_message = palidoc_jpeg_emit_message;
    err.pub.output_message = palidoc_jpeg_output_message;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        snprintf(message, message_size, "%s", err.message);
        free(row);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    info->width = (int)cinfo.image_width;
    info->height = (int)cinfo.image_height;
    info->components = cinfo.num_components;
    info->is_cmyk = cmyk;
    if (rgb == NULL) {
        jpeg_destroy_decompress(&cinfo);
        return 0;
    }
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width;
    row = (unsigned char *)malloc(width * (size_t)cinfo.output_components);
    if (row == NULL) {
        snprintf(message, message_size, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        size_t y = cinfo.output_scanline;
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&cinfo, rows, 1);
        unsigned char *out = rgb + y * width * 3;
        if (cmyk) {
            // Adobe writes CMYK JPEGs inverted (0 = full ink): the stored values are already
            // 255 - C etc., so RGB = stored * stored_K / 255, truncated like libtiff's CMYK.
            for (size_t x = 0; x < width; x++) {
                unsigned k = row[x * 4 + 3];
                out[x * 3] = (unsigned char)((row[x * 4] * k) / 255);
                out[x * 3 + 1] = (unsigned char)((row[x * 4 + 1] * k) / 255);
                out[x * 3 + 2] = (unsigned char)((row[x * 4 + 2] * k) / 255);
            }
        } else {
            memcpy(out, row, width * 3);
        }
    }
    jpeg_finish_decompress(&cinfo);
    free(row);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

/// Encodes `width` × `height` pixels of RGB (`rgb`, rows of `width * 3` bytes) as a baseline
/// JPEG at `quality` (1–100, 4:2:0 chroma as libjpeg's defaults). On success returns 0 and
/// sets `*out` to a buffer of `*out_size` bytes that the caller frees with `free`; on failure
/// returns 1 with libjpeg's message in `message`.
static inline int palidoc_jpeg_encode(const unsigned char *rgb, int width, int height,
                                      int quality, unsigned char **out, size_t *out_size,
                                      char *message, size_t message_size) {
    struct jpeg_compress_struct cinfo;
    palidoc_jpeg_error_mgr err;
    unsigned char *buffer = NULL;
    unsigned long size = 0;
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = palidoc_jpeg_error_exit;
    err.pub.output_message = palidoc_jpeg_output_message;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        // The buffer is not freed here: libjpeg may already have replaced (and freed) the
        // one `buffer` points to, and only reports the current one when compression ends.
        snprintf(message, message_size, "%s", err.message);
        jpeg_destroy_compress(&cinfo);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row[1] = {(JSAMPROW)(rgb + (size_t)cinfo.next_scanline * (size_t)width * 3)};
        jpeg_write_scanlines(&cinfo, row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = size;
    return 0;
}
