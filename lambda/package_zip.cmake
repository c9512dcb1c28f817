# cmake -DBOOTSTRAP=... -DWRAPPER=... -DSTAGE=... -DZIP=... [-DSTRIP=...] -P package_zip.cmake
# Stages bootstrap (the wrapper), bin/bootstrap and lib/<every library it loads>, then zips
# them. See packaging.cmake for why the libraries, glibc included, are bundled.
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${STAGE})
file(MAKE_DIRECTORY ${STAGE}/bin ${STAGE}/lib)

file(GET_RUNTIME_DEPENDENCIES
  EXECUTABLES ${BOOTSTRAP}
  RESOLVED_DEPENDENCIES_VAR libraries
  UNRESOLVED_DEPENDENCIES_VAR missing)
if(missing)
  message(FATAL_ERROR "unresolved libraries of ${BOOTSTRAP}: ${missing}")
endif()

# Each library under its soname (the name the loader asks for), as a regular file.
foreach(library ${libraries})
  get_filename_component(name ${library} NAME)
  file(REAL_PATH ${library} real)
  file(COPY_FILE ${real} ${STAGE}/lib/${name})
endforeach()
# The loader is asked for by its absolute path (PT_INTERP), so it is not always in the list.
if(NOT EXISTS ${STAGE}/lib/ld-linux-x86-64.so.2)
  file(REAL_PATH /lib64/ld-linux-x86-64.so.2 loader)
  file(COPY_FILE ${loader} ${STAGE}/lib/ld-linux-x86-64.so.2)
endif()

file(COPY_FILE ${BOOTSTRAP} ${STAGE}/bin/bootstrap)
if(STRIP)
  execute_process(COMMAND ${STRIP} --strip-unneeded ${STAGE}/bin/bootstrap COMMAND_ERROR_IS_FATAL ANY)
endif()
file(COPY_FILE ${WRAPPER} ${STAGE}/bootstrap)
file(CHMOD ${STAGE}/bootstrap ${STAGE}/bin/bootstrap ${STAGE}/lib/ld-linux-x86-64.so.2
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Lambda runs ./bootstrap, so the execute bits must survive in the zip: Info-ZIP keeps them;
# CMake's own zip writer (libarchive) is the fallback.
file(REMOVE ${ZIP})
find_program(ZIP_PROGRAM zip)
if(ZIP_PROGRAM)
  execute_process(COMMAND ${ZIP_PROGRAM} -q -r -X -9 ${ZIP} bootstrap bin lib
    WORKING_DIRECTORY ${STAGE} COMMAND_ERROR_IS_FATAL ANY)
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${ZIP} --format=zip bootstrap bin lib
    WORKING_DIRECTORY ${STAGE} COMMAND_ERROR_IS_FATAL ANY)
endif()
file(SIZE ${ZIP} bytes)
list(LENGTH libraries count)
message(STATUS "otts-lambda.zip: ${bytes} bytes, bin/bootstrap and ${count} libraries")
