package org.openshard.seller.offering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** JSON serialization of offerings (the advertisement format) and loading from config files. */
public final class Offerings {
  public static final int MAX_OFFERINGS = 32;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Offerings() {}

  public static String toJson(Offering o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toJson(List<Offering> list) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses and validates one offering. */
  public static Offering fromJson(String json) {
    try {
      return JSON.readValue(json, Offering.class);
    } catch (JsonProcessingException e) {
      throw unwrap(e);
    }
  }

  /** Parses and validates a JSON array of offerings (1..32, unique ids). */
  public static List<Offering> listFromJson(String json) {
    CollectionType t = JSON.getTypeFactory().constructCollectionType(List.class, Offering.class);
    List<Offering> list;
    try {
      list = JSON.readValue(json, t);
    } catch (JsonProcessingException e) {
      throw unwrap(e);
    }
    return validateList(list);
  }

  /** Reads a config file holding a JSON array of offerings. */
  public static List<Offering> load(Path file) throws IOException {
    return listFromJson(Files.readString(file));
  }

  public static List<Offering> validateList(List<Offering> list) {
    if (list == null || list.isEmpty()) {
      throw new InvalidOfferingException("offerings", "at least one offering is required");
    }
    if (list.size() > MAX_OFFERINGS) {
      throw new InvalidOfferingException("offerings", "at most " + MAX_OFFERINGS + " offerings");
    }
    Set<String> ids = new HashSet<>();
    for (Offering o : list) {
      if (!ids.add(o.id())) {
        throw new InvalidOfferingException("offerings", "duplicate offering id '" + o.id() + "'");
      }
    }
    return List.copyOf(list);
  }

  private static InvalidOfferingException unwrap(JsonProcessingException e) {
    Throwable c = e;
    while (c != null) {
      if (c instanceof InvalidOfferingException) {
        return (InvalidOfferingException) c;
      }
      c = c.getCause();
    }
    String path = e instanceof JsonMappingException ? ((JsonMappingException) e).getPathReference() : "";
    return new InvalidOfferingException("json", "offering JSON is invalid" + (path.isEmpty() ? "" : " at " + path)
        + ": " + e.getOriginalMessage());
  }
}
