"""Group a differences.txt by topic and field: python3 test/compat/summarize.py FILE."""
import sys; sys.path.insert(0, __import__('os').path.dirname(__file__)); import harness
lines=open(sys.argv[1]).read().splitlines()
cut=lines.index('-- schemas.enable=false') if '-- schemas.enable=false' in lines else len(lines)
print("\n".join(harness.summary(lines[:cut])))
