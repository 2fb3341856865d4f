// Entry point of the `loom` command.
int main() { return 0; }
