# lambda_zip: build/<preset>/lambda/otts-lambda.zip, the deployment package for the
# provided.al2023 runtime (x86_64).
#
# Why every shared library travels in the zip, glibc and its loader included: the build
# machine is Debian 12 (glibc 2.36, GCC 12) and Amazon Linux 2023 has glibc 2.34 and GCC 11's
# libstdc++. -static-libstdc++ on the bootstrap alone is not enough: Debian's cpp-httplib is
# only a shared library, and it needs libstdc++ GLIBCXX_3.4.30 (GCC 12), which AL2023 lacks,
# while Debian's libstdc++.so.6 needs GLIBC_2.36, which AL2023 lacks too. So the package is
# self-contained, as aws-lambda-cpp's packager makes them: bin/bootstrap plus every library it
# loads in lib/ (ldd's list: OpenSSL, SQLite, httplib, zlib, brotli, libstdc++, libgcc, glibc
# and ld-linux), and a `bootstrap` shell script at the root that starts bin/bootstrap through
# the bundled loader with --library-path lib. Nothing of the host's userland is used but
# /bin/sh, the kernel, and the CA bundle (SSL_CERT_FILE, set by the script).
# package_zip.cmake does the work at build time. Part of ALL, so that the black-box test
# (tests/blackbox/test_lambda_runtime.sh) always runs the package it would deploy.
set(OTTS_LAMBDA_ZIP ${CMAKE_CURRENT_BINARY_DIR}/otts-lambda.zip)
add_custom_command(
  OUTPUT ${OTTS_LAMBDA_ZIP}
  COMMAND ${CMAKE_COMMAND}
    -DBOOTSTRAP=$<TARGET_FILE:otts_lambda_bootstrap>
    -DWRAPPER=${CMAKE_CURRENT_SOURCE_DIR}/bootstrap.sh
    -DSTAGE=${CMAKE_CURRENT_BINARY_DIR}/package
    -DZIP=${OTTS_LAMBDA_ZIP}
    -DSTRIP=${CMAKE_STRIP}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/package_zip.cmake
  DEPENDS otts_lambda_bootstrap ${CMAKE_CURRENT_SOURCE_DIR}/bootstrap.sh ${CMAKE_CURRENT_SOURCE_DIR}/package_zip.cmake
  COMMENT "Packaging the Lambda bootstrap into ${OTTS_LAMBDA_ZIP}"
  VERBATIM)
add_custom_target(lambda_zip ALL DEPENDS ${OTTS_LAMBDA_ZIP})
