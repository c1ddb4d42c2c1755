"""The common ending of the checks' validators: list the errors, one summary line, an exit status."""


def verdict(errors, summary):
    for e in errors:
        print("   ", e)
    print(summary)
    return 1 if errors else 0
