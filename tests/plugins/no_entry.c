/* Broken plugin for loader tests: a shared object that exports neither oex_plugin_abi_version
 * nor oex_plugin_register, just some other function. */
int not_an_oex_plugin(void)
{
  return 42;
}
