# Interface targets carrying our compile flags; linked into our own targets only.
add_library(oex_warnings INTERFACE)
target_compile_options(oex_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wformat=2
  -Wimplicit-fallthrough)

# Each function in its own section, so that the linker drops what the binary never calls.
target_compile_options(oex_warnings INTERFACE -ffunction-sections -fdata-sections)

add_library(oex_sanitize INTERFACE)
if(OEX_SANITIZE)
  target_compile_options(oex_sanitize INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                -fno-sanitize-recover=undefined)
  target_link_options(oex_sanitize INTERFACE -fsanitize=address,undefined)
  if(OEX_BUILD_FUZZ)
    target_compile_options(oex_sanitize INTERFACE -fsanitize=fuzzer-no-link)
  endif()
endif()
