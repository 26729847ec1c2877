# src/image: the decoders' libraries, and float semantics the PDQ reference
# shares: no fused multiply-add (it changes the last bits of the DCT and the
# luminance), never -ffast-math. -O3 lets gcc vectorise the column passes
# (across columns: the same operations per column, so the same bits).
pkg_check_modules(JPEG REQUIRED IMPORTED_TARGET libjpeg)
pkg_check_modules(PNG REQUIRED IMPORTED_TARGET libpng16)
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp)
file(GLOB _image_src CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/image/*.c)
set_source_files_properties(${_image_src} PROPERTIES COMPILE_OPTIONS "-ffp-contract=off;-fno-fast-math")
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/image/pdq.c PROPERTIES
  COMPILE_OPTIONS "-ffp-contract=off;-fno-fast-math;-O3")
set(AR_IMAGE_LIBS PkgConfig::JPEG PkgConfig::PNG PkgConfig::WEBP)
