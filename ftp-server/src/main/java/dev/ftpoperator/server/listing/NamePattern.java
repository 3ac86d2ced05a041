package dev.ftpoperator.server.listing;

import java.util.ArrayList;
import java.util.List;

/**
 * The wildcard of a listing's last path element ({@code LIST *.txt}): {@code *} any run of
 * characters, {@code ?} one character, {@code [a-z]} one of a set ({@code [!...]} or {@code [^...]}
 * one outside it; a {@code ]} first in the set is one of its characters, and a {@code [} that is
 * never closed matches itself), anything else itself.
 *
 * <p>It matches in time proportional to the name's length times the pattern's, whatever the
 * pattern: MINA's matcher tries every way a {@code *} could split the name, so {@code NLST
 * *a*a*a*a*a*a*a*a*b} over one name of 60 a's kept a core busy for minutes after the client had
 * gone. Here a mismatch only makes the last star met take one more character: whatever a longer run
 * of an earlier star could match, the last star's run matches too.
 */
final class NamePattern {

  /** One element of the pattern: a star, or something that matches exactly one character. */
  private interface Element {
    boolean matches(int codePoint);
  }

  private static final Element STAR = codePoint -> true;

  private static final Element ANY_ONE = codePoint -> true;

  private final Element[] elements;

  private NamePattern(Element[] elements) {
    this.elements = elements;
  }

  static NamePattern compile(String pattern) {
    List<Element> elements = new ArrayList<>();
    int[] codePoints = pattern.codePoints().toArray();
    int i = 0;
    while (i < codePoints.length) {
      int c = codePoints[i];
      if (c == '*') {
        if (elements.isEmpty() || elements.get(elements.size() - 1) != STAR) {
          elements.add(STAR); // a run of stars is one star
        }
        i++;
      } else if (c == '?') {
        elements.add(ANY_ONE);
        i++;
      } else if (c == '[') {
        int end = closingBracket(codePoints, i);
        if (end < 0) {
          elements.add(literal('['));
          i++;
        } else {
          elements.add(set(codePoints, i + 1, end));
          i = end + 1;
        }
      } else {
        elements.add(literal(c));
        i++;
      }
    }
    return new NamePattern(elements.toArray(Element[]::new));
  }

  /** The index of the {@code ]} that closes the set opened at {@code open}, or -1. */
  private static int closingBracket(int[] codePoints, int open) {
    int i = open + 1;
    if (i < codePoints.length && (codePoints[i] == '!' || codePoints[i] == '^')) {
      i++;
    }
    if (i < codePoints.length && codePoints[i] == ']') {
      i++; // first in the set: one of its characters
    }
    for (; i < codePoints.length; i++) {
      if (codePoints[i] == ']') {
        return i;
      }
    }
    return -1;
  }

  /** The set between a {@code [} and its {@code ]}: {@code from} up to {@code to}, exclusive. */
  private static Element set(int[] codePoints, int from, int to) {
    boolean negated = from < to && (codePoints[from] == '!' || codePoints[from] == '^');
    int start = negated ? from + 1 : from;
    List<int[]> ranges = new ArrayList<>();
    for (int i = start; i < to; i++) {
      int low = codePoints[i];
      if (i + 2 < to && codePoints[i + 1] == '-') {
        ranges.add(new int[] {low, codePoints[i + 2]});
        i += 2;
      } else {
        ranges.add(new int[] {low, low});
      }
    }
    int[][] bounds = ranges.toArray(int[][]::new);
    return codePoint -> {
      for (int[] range : bounds) {
        if (codePoint >= range[0] && codePoint <= range[1]) {
          return !negated;
        }
      }
      return negated;
    };
  }

  private static Element literal(int expected) {
    return codePoint -> codePoint == expected;
  }

  boolean matches(String name) {
    int[] codePoints = name.codePoints().toArray();
    int next = 0; // the name's next character
    int element = 0;
    int lastStar = -1; // the last star met, and where in the name its run now ends
    int starEnd = 0;
    while (next < codePoints.length) {
      if (element < elements.length && elements[element] == STAR) {
        lastStar = element++;
        starEnd = next;
      } else if (element < elements.length && elements[element].matches(codePoints[next])) {
        element++;
        next++;
      } else if (lastStar >= 0) {
        // the last star takes one more character; the elements after it start again from there
        element = lastStar + 1;
        next = ++starEnd;
      } else {
        return false;
      }
    }
    while (element < elements.length && elements[element] == STAR) {
      element++;
    }
    return element == elements.length;
  }
}
